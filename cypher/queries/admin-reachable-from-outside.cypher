// name: admin-reachable-from-outside
// description: paths to an administrator from an identity outside the organisation: a principal of another account
//   named only in a trust policy, an OIDC or SAML subject or provider (GitHub, EKS, ...), an AWS service, or a GCP
//   member that is not a service account. Each row is one shortest path of CAN_ASSUME, CAN_ESCALATE and
//   CAN_IMPERSONATE steps, so the page can draw it.
// parameters: none
// limitations: paths have at most 4 steps and one shortest path per pair of start and administrator is returned.
//   Scope-wide GCP steps (to a project or folder) and escalation and assume target sets are not expanded here,
//   so a path through them is missed; `nhigraph paths --to admin` expands them. An AWS service can assume a role
//   only when someone passes the role to it, so such paths need a second identity.
MATCH (outside:Principal)
WHERE coalesce(outside.external, false) = true OR outside:FederatedSubject OR outside:FederatedProvider
   OR outside:AwsServicePrincipal
MATCH (admin:Principal)
WHERE admin.adminEquivalent IS NOT NULL
MATCH path = shortestPath((outside)-[:CAN_ASSUME|CAN_ESCALATE|CAN_IMPERSONATE*1..4]->(admin))
RETURN outside.id AS start, admin.id AS administrator, length(path) AS steps, path
ORDER BY steps, start, administrator;
