// name: gcp-conditional-bindings
// description: GCP IAM bindings with a condition, with the condition's title and expression; a condition the
//   analysis cannot decide makes the derived edges CONDITIONAL.
// parameters: none
// limitations: the expression is shown as IAM stores it; whether it holds is decided only by the analysis.
MATCH (member:Principal)-[b:HAS_ROLE]->(target)
WHERE b.conditionExpression IS NOT NULL
RETURN member.id AS member, b.role AS role, coalesce(target.resourceName, target.id) AS resource,
       b.conditionTitle AS title, b.conditionExpression AS expression
ORDER BY resource, role, member;
