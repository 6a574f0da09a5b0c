// name: gcp-custom-roles-with-iam-permissions
// description: GCP custom roles whose permissions change IAM or act as a service account (setIamPolicy,
//   serviceAccounts.actAs, getAccessToken, signJwt, keys.create, roles.update), with where each is bound.
// parameters: none
// limitations: predefined roles are not nodes of the graph, so they are not listed; gcp-administrators and the
//   CAN_ESCALATE edges cover what they grant.
MATCH (role:GcpRole)
WITH role, [p IN role.permissions WHERE p ENDS WITH '.setIamPolicy' OR p IN ['iam.serviceAccounts.actAs',
     'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.signBlob',
     'iam.serviceAccountKeys.create', 'iam.roles.update']] AS risky
WHERE size(risky) > 0
OPTIONAL MATCH (member:Principal)-[b:HAS_ROLE {role: role.id}]->(target)
RETURN role.id AS role, risky AS permissions, collect(DISTINCT member.id) AS boundTo
ORDER BY role;
