// name: gcp-scope-wide-steps
// description: principals that can impersonate or escalate to every service account of a GCP project, folder or
//   organization at once, with the technique and the scope.
// parameters: none
// limitations: the accounts below exceptScopes are excluded from each step, and a direct step to an account
//   replaces the scope-wide one for that account.
MATCH (source:Principal)-[e:CAN_IMPERSONATE|CAN_ESCALATE {scopeWide: true}]->(scope:GcpResource)
RETURN source.id AS principal, type(e) AS step, e.technique AS technique, scope.id AS scope,
       e.exceptScopes AS exceptScopes, e.conditional AS conditional
ORDER BY principal, scope;
