// name: escalation-to-admin
// description: principals that are not administrators themselves but have a single escalation step to one: the
//   technique and the administrator reached, for AWS and GCP.
// parameters: none
// limitations: one step only; longer chains are in admin-reachable-from-outside and `nhigraph paths`. Steps to an
//   AWS escalation target set are expanded to its members.
MATCH (source:Principal)-[e:CAN_ESCALATE]->()-[:INCLUDES*0..1]->(target:Principal)
WHERE source.adminEquivalent IS NULL AND target.adminEquivalent IS NOT NULL AND source <> target
RETURN source.id AS principal, source.kind AS kind, e.technique AS technique, target.id AS administrator,
       e.conditional AS conditional
ORDER BY principal, technique, administrator;
