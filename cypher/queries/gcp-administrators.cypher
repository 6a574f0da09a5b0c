// name: gcp-administrators
// description: GCP principals that administer an organization, folder or project: they hold its setIamPolicy
//   directly or through a technique such as updating a custom role bound to them, with the scopes and, once each,
//   the bindings behind them ("binding INDEX on RESOURCE: ROLE", with its condition if it has one).
// parameters: none
// limitations: principals that become administrators only after impersonating another account are not listed
//   here; `nhigraph paths --to admin` finds those. The bindings are read from the evidence JSON that the GCP
//   analysis stores on the principal; the full evidence, with a note per grant, is in the adminEvidence property.
MATCH (p:Principal)
WHERE (p:GcpServiceAccount OR p:GcpMember) AND p.adminEquivalent IS NOT NULL
// Each evidence entry that names a binding starts with {"policy":"RESOURCE#iam-policy". One binding backs every
// scope it grants on, such as a conditional one on a folder and the folders and projects below, so it is stored
// once per scope and the lines are made distinct below.
WITH p, [entry IN split(coalesce(p.adminEvidence, '[]'), '{"policy":"')[1..]
         WHERE entry CONTAINS '"policyKind":"gcp-binding"'] AS entries
WITH p, [entry IN entries |
         'binding ' + split(split(entry, '"statement":')[1], ',')[0]
         + ' on ' + replace(split(entry, '#iam-policy"')[0], '//cloudresourcemanager.googleapis.com/', '')
         + ': ' + split(split(entry, '"policyName":"')[1], '"')[0]
         + CASE WHEN entry CONTAINS '"condition":{'
                THEN ' if ' + replace(split(split(split(entry, '"condition":{')[1], '"expression":"')[1], '"}')[0], '\\"', '"')
                ELSE '' END] AS lines
RETURN p.id AS principal, p.kind AS kind, p.adminEquivalent AS adminEquivalent, p.adminScopes AS scopes,
       p.adminTechniques AS via,
       reduce(kept = [], line IN lines | CASE WHEN line IN kept THEN kept ELSE kept + line END) AS bindings
ORDER BY adminEquivalent DESC, principal;
