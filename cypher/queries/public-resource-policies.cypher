// name: public-resource-policies
// description: AWS resources whose resource policy allows the principal "*" (anyone, possibly within a condition
//   such as aws:PrincipalOrgID), with the statements that do.
// parameters: none
// limitations: the policy document is matched as text, so "*" is found as "Principal":"*" and {"AWS":"*"}; a
//   Deny statement with a "*" principal is listed too, so read the statements before acting.
MATCH (resource:AwsResource)-[:HAS_POLICY]->(policy:AwsPolicy {kind: 'resource'})
WHERE policy.document CONTAINS '"Principal":"*"' OR policy.document CONTAINS '"AWS":"*"'
RETURN resource.id AS resource, resource.service AS service, policy.document AS document
ORDER BY resource;
