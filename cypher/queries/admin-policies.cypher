// name: admin-policies
// description: users and roles whose own policies allow every action on every resource, as the analysis decided it
//   (adminTechniques contains "own-policies"), with the policies attached to them and to their groups.
// parameters: none
// limitations: SCPs are not counted, as for every administrator mark. The policies listed are all the attached
//   ones; the adminEvidence property names the statements that decided it.
MATCH (p:Principal)
WHERE 'own-policies' IN coalesce(p.adminTechniques, [])
OPTIONAL MATCH (p)-[:MEMBER_OF*0..1]->(holder)-[:HAS_POLICY]->(pol:AwsPolicy)
RETURN p.kind AS kind, p.id AS principal, collect(DISTINCT pol.id) AS policies
ORDER BY principal;
