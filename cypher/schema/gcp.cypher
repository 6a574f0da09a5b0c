// name: gcp
// purpose: unique ids and lookups for the GCP part of the graph, as GcpGraphWriter writes it from gcloud output
//   and the GCP analysis derives it.
// parameters: none
// limitations: Community edition has no property-existence constraints, so the writer checks for missing
//   identifiers before it writes. Group membership is not in gcloud's IAM output, so a group is a principal of its
//   own and nothing links it to its members.
//
// Node keys:
//   GcpResource.id            the canonical full resource name: //cloudresourcemanager.googleapis.com/organizations/ID,
//                             .../folders/ID, .../projects/PROJECT_ID (the id, not the number), or a resource such
//                             as //storage.googleapis.com/BUCKET
//   Principal.id              for GCP, the member as IAM writes it: serviceAccount:EMAIL, user:EMAIL, group:EMAIL,
//                             domain:DOMAIN, allUsers, allAuthenticatedUsers, principal://..., principalSet://...,
//                             deleted:serviceAccount:EMAIL?uid=ID, projectOwner:PROJECT_ID (unique by constraints.cypher)
//   GcpServiceAccountKey.id   the key id, the last part of the key's resource name
//   GcpRole.id                roles/NAME, projects/PROJECT_ID/roles/NAME or organizations/ID/roles/NAME
//   GcpDenyRule.id            "<deny policy name>#<rule index>"
//
// Labels:
//   GcpResource               {id, assetType, projectId, displayName, state, missing, runsAsKnown}; missing = true
//                             for a parent that the bundle names but does not list. Containers also carry
//                             GcpOrganization, GcpFolder or GcpProject; a project has projectNumber when the bundle
//                             gives it. runsAsKnown = true on a workload whose service accounts an instance,
//                             function or Cloud Run service list states, even when it runs as none.
//   GcpServiceAccount         a Principal {id, kind, name (the email), email, resourceName, project, uniqueId,
//                             displayName, disabled, missing}; the account is a resource too, and the bindings of
//                             its own IAM policy point at this node. The analysis adds ancestors (its project and
//                             the folders and organization above, nearest first), userManagedKeys (enabled ones)
//                             and defaultAccountWithEditor (YES or CONDITIONAL for a default Compute Engine or
//                             App Engine account holding roles/editor)
//   Principal (GCP)           the analysis marks administrators with adminEquivalent (YES or CONDITIONAL),
//                             adminScopes (the organizations, folders and projects whose setIamPolicy it holds,
//                             directly or by a technique), adminTechniques ("binding" or technique ids) and
//                             adminEvidence
//   GcpMember                 a Principal {id, kind, memberType, name, external}; memberType is the member's prefix
//                             (user, group, domain, allUsers, allAuthenticatedUsers, principal, principalSet,
//                             deleted, projectOwner, projectEditor, projectViewer)
//   GcpServiceAccountKey      also Credential: {id, keyType, keyOrigin, validAfter, validBefore, disabled,
//                             serviceAccount}; never key material
//   GcpRole                   custom roles only: {id, title, stage, deleted, custom, permissions, permissionCount};
//                             predefined roles are named by HAS_ROLE.role and resolved from the shipped catalogue
//   GcpDenyRule               {id, policy, deniedPrincipals, exceptionPrincipals, deniedPermissions,
//                             exceptionPermissions, conditionTitle, conditionExpression}
//
// Relationships:
//   (GcpResource|GcpServiceAccount)-[:IN]->(GcpResource)   a resource, project or folder to its parent
//   (Principal)-[:HAS_ROLE {role, binding, policy, conditionTitle, conditionExpression, conditionDescription}]->(GcpResource|GcpServiceAccount)
//                             one binding of the target's allow policy; binding is its index in that policy
//   (GcpServiceAccount)-[:HAS_KEY]->(GcpServiceAccountKey)
//   (GcpRole)-[:IN]->(GcpResource)                          a custom role to the project or organization that defines it
//   (GcpDenyRule)-[:ATTACHED_TO]->(GcpResource)             a deny rule to its attachment point
//   (GcpResource)-[:RUNS_AS]->(GcpServiceAccount)           a VM, function or Cloud Run service to an account it runs
//                             as; a load that lists the workload again replaces its links
//
// Derived relationships (the GCP analysis, each with evidence: the bindings behind it as JSON):
//   (Principal)-[:CAN_IMPERSONATE {technique, conditional, evidence}]->(GcpServiceAccount)
//                             the source can get the account's tokens, sign as it or create a key for it
//   (Principal)-[:CAN_ESCALATE {technique, conditional, evidence}]->(GcpServiceAccount)
//                             the source can make the account act for it by another technique, such as actAs and
//                             creating a Cloud Function that runs as it, or setIamPolicy on the account
//   (Principal)-[:CAN_IMPERSONATE|CAN_ESCALATE {scopeWide: true, exceptScopes, technique, conditional, evidence}]->(GcpResource)
//                             the same step to every enabled service account whose ancestors contain this
//                             organization, folder or project, except those below exceptScopes (which the source
//                             administers). A direct step between the same pair, or a scope-wide step of a nearer
//                             scope, takes its place. Disabled accounts get direct steps. Path search expands it.
//   (Principal)-[:CAN_ACCESS {accessLevels, actionCount, conditional, evidence}]->(GcpResource)
//                             what the resource's own allow policy grants; actionCount counts permissions. When the
//                             source is a convenience member (projectEditor:P, ...), each principal INCLUDED_IN it
//                             gets the same access, unless it has a CAN_ACCESS of its own to the resource
//   (Principal)-[:INCLUDED_IN {evidence}]->(GcpMember)
//                             the principal holds the basic role behind a convenience member such as projectEditor:P
//                             (on P or an ancestor); written for members that have CAN_ACCESS edges
// Every node and relationship written by a load carries "snapshot", the id of the Snapshot that last saw it.

CREATE CONSTRAINT gcp_resource_id IF NOT EXISTS FOR (n:GcpResource) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT gcp_service_account_key_id IF NOT EXISTS FOR (n:GcpServiceAccountKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT gcp_role_id IF NOT EXISTS FOR (n:GcpRole) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT gcp_deny_rule_id IF NOT EXISTS FOR (n:GcpDenyRule) REQUIRE n.id IS UNIQUE;
CREATE INDEX gcp_resource_project IF NOT EXISTS FOR (n:GcpResource) ON (n.projectId);
CREATE INDEX gcp_resource_asset_type IF NOT EXISTS FOR (n:GcpResource) ON (n.assetType);
CREATE INDEX gcp_service_account_resource_name IF NOT EXISTS FOR (n:GcpServiceAccount) ON (n.resourceName);
