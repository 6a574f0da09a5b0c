// name: who-can-reach-admin
// description: who can reach an administrator: every AWS and GCP principal that is an administrator (0 steps) or
//   can become one through at most 8 CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps, nearest first, with
//   AWS services and federated subjects and providers included. It counts what `nhigraph paths --to admin` and
//   GET /api/paths?to=admin count, except for the limitations below.
// parameters: none
// limitations: an administrator here is a principal with the adminEquivalent mark. `paths --to admin` also counts
//   an AWS group whose policies make its members administrators, so a user that can add itself to such a group
//   (iam:AddUserToGroup) is listed there and not here. Scope-wide GCP steps (to a project or folder) and steps to
//   escalation and assume target sets are not expanded here. `reachable` is not computed here, so a path that
//   holds only under conditions counts the same as one that always holds. On a large graph the shortest-path
//   search per pair of principal and administrator can exceed the query timeout; `paths --to admin` does not.
MATCH (admin:Principal)
WHERE admin.adminEquivalent IS NOT NULL
CALL {
    WITH admin
    RETURN admin AS source, 0 AS steps
    UNION
    WITH admin
    MATCH path = shortestPath((source:Principal)-[:CAN_ASSUME|CAN_ESCALATE|CAN_IMPERSONATE*1..8]->(admin))
    WHERE source.adminEquivalent IS NULL
    RETURN source, length(path) AS steps
}
WITH source, min(steps) AS steps
RETURN source.id AS principal, source.kind AS kind, steps
ORDER BY steps, principal;
