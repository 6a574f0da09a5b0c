// name: who-can-reach
// description: every principal that can become the given one by assuming, escalating to or impersonating it, in at
//   most 3 steps, nearest first; the reverse view of a blast radius.
// parameters:
//   target (principal): the principal: an AWS ARN, unique id or name, or a GCP member such as serviceAccount:EMAIL
// limitations: 3 steps at most; scope-wide GCP steps and escalation and assume target sets are not expanded, so
//   `nhigraph paths --to ID` can find more.
MATCH (target:Principal {id: $target})
MATCH path = (source:Principal)-[:CAN_ASSUME|CAN_ESCALATE|CAN_IMPERSONATE*1..3]->(target)
WHERE source <> target
WITH source, min(length(path)) AS steps
RETURN source.id AS principal, source.kind AS kind, steps
ORDER BY steps, principal;
