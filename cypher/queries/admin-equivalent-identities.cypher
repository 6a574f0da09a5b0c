// name: admin-equivalent-identities
// description: every AWS and GCP identity that is an administrator or can make itself one, with how: "own-policies"
//   or "binding" for a direct grant, or the escalation technique ids that get it there.
// parameters: none
// limitations: SCPs and RCPs are not counted in the administrator mark. An identity that becomes an administrator
//   only by assuming or impersonating another one is not marked; admin-reachable-from-outside and
//   `nhigraph paths --to admin` follow those chains.
MATCH (p:Principal)
WHERE p.adminEquivalent IS NOT NULL
RETURN CASE WHEN p.kind STARTS WITH 'Gcp' THEN 'gcp' ELSE 'aws' END AS cloud, p.kind AS kind, p.id AS principal,
       p.adminEquivalent AS adminEquivalent, p.adminTechniques AS via
ORDER BY cloud, adminEquivalent DESC, principal;
