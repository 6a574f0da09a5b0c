// name: gcp-public-bindings
// description: IAM bindings that grant a role to allUsers or allAuthenticatedUsers, which is anyone on the internet
//   or anyone with a Google account, with the resource and role.
// parameters: none
// limitations: public access granted by other means, such as a bucket's legacy ACLs, is not in IAM policy output.
MATCH (m:GcpMember)-[b:HAS_ROLE]->(r)
WHERE m.id IN ['allUsers', 'allAuthenticatedUsers']
RETURN m.id AS member, coalesce(r.resourceName, r.id) AS resource, b.role AS role,
       b.conditionExpression AS condition, b.policy AS policy
ORDER BY resource, role;
