// name: admin-policies
// purpose: principals with a policy whose document allows every action on every resource.
// parameters: none
// limitations: a text match on the stored document, so Action ["*"] written with extra spaces or split across
//   statements, and NotAction grants, are missed; the blast radius in the API computes admin exactly.
MATCH (p:Principal)-[:HAS_POLICY]->(pol:AwsPolicy)
WHERE pol.document CONTAINS '"Action":"*"' AND pol.document CONTAINS '"Resource":"*"'
RETURN p.kind AS kind, p.id AS principal, pol.id AS policy
ORDER BY principal;
