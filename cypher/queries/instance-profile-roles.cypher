// name: instance-profile-roles
// description: EC2 instance profiles and the roles they carry; code on an instance with an administrator's profile
//   runs as an administrator.
// parameters: none
// limitations: the export does not say which instances use a profile, so a profile may be unused.
MATCH (profile:AwsInstanceProfile)-[:RUNS_AS]->(role:AwsRole)
RETURN profile.id AS instanceProfile, role.id AS role, role.adminEquivalent AS adminEquivalent
ORDER BY adminEquivalent IS NULL, instanceProfile;
