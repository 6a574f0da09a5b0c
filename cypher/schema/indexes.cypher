// name: indexes
// purpose: lookups by kind, name, account, unique id and resource name for the API search, for resolving a
//   principal named on the command line, and for the analyst queries.
// parameters: none
// limitations: none known.
//
// Labels in the graph (every principal also has the label Principal and a "kind" property equal to its label):
//   AwsUser, AwsRole, AwsGroup         IAM principals, from get-account-authorization-details
//   AwsAccount                         an account; its id is the 12-digit account id, arn is arn:aws:iam::ID:root
//   AwsServicePrincipal                a service named in a trust policy, such as lambda.amazonaws.com
//   FederatedProvider                  an OIDC or SAML provider or web identity host named in a trust policy
//   FederatedSubject                   the identities of a provider that a trust statement's sub condition admits,
//                                      such as one GitHub repository and branch; anySubject marks a missing or
//                                      match-all sub (docs/federated-trust.md lists the properties)
//   AwsPolicy                          a managed (kind "managed" or "aws-managed") or inline (kind "inline") policy;
//                                      "document" is the JSON of the default version
//   AwsInstanceProfile                 an EC2 instance profile
//   AwsAccessKey                       an access key of a user or of the root user (also Credential): id, status,
//                                      createdAt, lastUsedAt, lastUsedService, lastUsedRegion; never the secret
//   AwsWorkload                        an EC2 instance, Lambda function or ECS task definition, also labelled
//                                      AwsEc2Instance, AwsLambdaFunction or AwsEcsTaskDefinition
//   Snapshot                           one load: source files, time and counts
//   LoadInProgress                     at most one: the load that has stored its files but not yet derived the
//                                      edges and recorded its Snapshot (snapshot, files, startedAt). While it
//                                      exists, blast-radius, can and the API reject the graph.
//
// Relationships:
//   (principal)-[:IN]->(AwsAccount)                         the account that owns the principal
//   (AwsUser)-[:MEMBER_OF]->(AwsGroup)
//   (principal)-[:HAS_POLICY]->(AwsPolicy)                  attached managed or inline policy
//   (principal)-[:HAS_BOUNDARY]->(AwsPolicy)                permissions boundary
//   (AwsRole)-[:TRUSTS {evidence}]->(principal)             the trust policy names that principal (raw fact)
//   (FederatedSubject)-[:ISSUED_BY]->(FederatedProvider)     the provider that issues the subject's tokens
//   (AwsInstanceProfile)-[:RUNS_AS]->(AwsRole)
//   (AwsUser|AwsAccount)-[:HAS_KEY]->(AwsAccessKey)          a user's access key; an AwsAccount's is its root user's
//   (AwsWorkload)-[:RUNS_AS {use}]->(AwsRole)               use: instance, function, task or execution (ECS agent)
//   (AwsEc2Instance)-[:HAS_PROFILE]->(AwsInstanceProfile)
//   (principal)-[:CAN_ASSUME {evidence, conditional}]->(AwsRole)   derived by the analysis
//   (principal)-[:CAN_ASSUME {evidence, conditional, trustAt, except}]->(AssumeTargetSet)-[:INCLUDES {trustEvidence}]->(AwsRole)
//                                                           the same edge to each member of the set but the source
//                                                           and the members listed in except (ids), which keep their
//                                                           own edges if they have any. A set is the roles of one
//                                                           account that trust its root, all unconditionally or all
//                                                           under one condition. The step's evidence is the edge's
//                                                           with the member's trustEvidence inserted before index
//                                                           trustAt. Query both forms with
//                                                           (p)-[e:CAN_ASSUME]->()-[:INCLUDES*0..1]->(role)
//                                                           WHERE NOT role.id IN coalesce(e.except, [])
//   (principal)-[:CAN_ESCALATE {technique, techniques, evidence, conditional}]->(AwsRole|AwsUser|AwsGroup)
//                                                           derived from the escalation technique catalogue: the
//                                                           source can become or join the target
//   (principal)-[:CAN_ESCALATE {...}]->(EscalationTargetSet)-[:INCLUDES]->(AwsRole|AwsUser|AwsGroup)
//                                                           the same step to each member of the set but the source:
//                                                           used when a technique reaches 20 or more targets of an
//                                                           account at once, such as every role Lambda can assume.
//                                                           Query both forms with
//                                                           (p)-[:CAN_ESCALATE]->()-[:INCLUDES*0..1]->(target)
//   A user or role that is, or can make itself, an administrator has adminEquivalent ("YES" or "CONDITIONAL"),
//   adminTechniques (technique ids, or "own-policies") and adminEvidence (JSON).
// "evidence" properties are JSON strings: a list of {policy, policyName, statement, sid, effect, ..., condition}.
// Every node and relationship written by a load carries "snapshot", the id of the Snapshot that last saw it.

CREATE INDEX principal_kind IF NOT EXISTS FOR (n:Principal) ON (n.kind);
CREATE INDEX principal_name IF NOT EXISTS FOR (n:Principal) ON (n.name);
CREATE INDEX principal_account IF NOT EXISTS FOR (n:Principal) ON (n.account);
CREATE INDEX principal_unique_id IF NOT EXISTS FOR (n:Principal) ON (n.uniqueId);
CREATE INDEX principal_resource_name IF NOT EXISTS FOR (n:Principal) ON (n.resourceName);
CREATE INDEX aws_policy_name IF NOT EXISTS FOR (n:AwsPolicy) ON (n.name);
CREATE INDEX snapshot_loaded_at IF NOT EXISTS FOR (n:Snapshot) ON (n.loadedAt);
