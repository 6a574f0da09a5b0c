// name: service-trusted-roles
// description: AWS roles that an AWS service (Lambda, EC2, Glue, ...) can assume, with the services; an
//   administrator role among them becomes an escalation target for anyone who can pass it to that service.
// parameters: none
// limitations: whether a principal can pass the role (iam:PassRole) is in the CAN_ESCALATE edges, not here.
MATCH (service:AwsServicePrincipal)-[:CAN_ASSUME]->(role:AwsRole)
RETURN role.id AS role, collect(DISTINCT service.id) AS services, role.adminEquivalent AS adminEquivalent
ORDER BY adminEquivalent IS NULL, role;
