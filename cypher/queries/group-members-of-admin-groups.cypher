// name: group-members-of-admin-groups
// description: AWS users in a group whose attached policies make its members administrators, with the group; the
//   users inherit the rights, so each membership is an administrator grant.
// parameters: none
// limitations: a group counts when one of its members is marked administrator through "own-policies"; a member
//   marked through another technique does not make the group count.
MATCH (admin:AwsUser)-[:MEMBER_OF]->(group:AwsGroup)-[:HAS_POLICY]->(:AwsPolicy)
WHERE 'own-policies' IN coalesce(admin.adminTechniques, [])
WITH DISTINCT group
MATCH (user:AwsUser)-[:MEMBER_OF]->(group)
RETURN group.id AS group, collect(user.id) AS members, count(user) AS memberCount
ORDER BY memberCount DESC, group;
