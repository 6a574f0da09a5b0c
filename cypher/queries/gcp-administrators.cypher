// name: gcp-administrators
// purpose: GCP principals that administer an organization, folder or project: they hold its setIamPolicy
//   directly or through a technique such as updating a custom role bound to them, with the scopes and evidence.
// parameters: none
// limitations: principals that become administrators only after impersonating another account are not listed
//   here; `nhigraph paths --to admin` finds those.
MATCH (p:Principal)
WHERE (p:GcpServiceAccount OR p:GcpMember) AND p.adminEquivalent IS NOT NULL
RETURN p.id AS principal, p.kind AS kind, p.adminEquivalent AS adminEquivalent, p.adminScopes AS scopes,
       p.adminTechniques AS via, p.adminEvidence AS evidence
ORDER BY adminEquivalent DESC, principal;
