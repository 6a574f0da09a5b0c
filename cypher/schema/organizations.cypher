// name: organizations
// purpose: unique ids and lookups for AWS Organizations data and resource-based policies, as
//   OrganizationGraphWriter and ResourcePolicyGraphWriter write them from an offline bundle.
// parameters: none
// limitations: Community edition has no property-existence constraints, so the writers check for
//   missing identifiers before they write.
//
// Node keys:
//   AwsOrganization.id        the organization id, o-...
//   AwsOrganizationalUnit.id  a root id (r-...) or an OU id (ou-...)
//   AwsResource.id            the resource ARN, such as arn:aws:s3:::BUCKET
//   AwsResourceSet.id         "aws-resources:<account>:<service>:<hash of the policies' shared part>"
//   AwsPolicy.id and Principal.id are unique by constraints.cypher. An SCP or RCP is keyed by its policy ARN;
//   a resource policy by "<resource ARN>#resource-policy", since AWS gives it no ARN of its own.
//
// Labels:
//   AwsOrganization        {id, arn, managementAccount, featureSet}; managementAccount is the 12-digit id of
//                          the management account, to which SCPs and RCPs do not apply
//   AwsOrganizationalUnit  {id, arn, name, root, organization}; a root is an AwsOrganizationalUnit with
//                          root = true. A parent that the bundle names but does not list has only id and root.
//   AwsAccount             the Principal:AwsAccount node of constraints.cypher, keyed by the 12-digit id; the
//                          organization adds name, email, status, state, joinedMethod, joinedTimestamp,
//                          organizationsArn, organization and, on the management account, isManagementAccount
//   AwsPolicy              kind "scp" or "rcp": {arn, policyId (p-...), name, description, awsManaged, document,
//                          account, organization}; missing = true when the bundle has no describe-policy output
//                          for it, so its document is unknown.
//                          kind "resource": {name, resource, service, account, document}
//   AwsResource            {id, arn, service, account, region, name}; service is the ARN's service prefix
//                          (s3, kms, lambda, secretsmanager, sqs, sns, ecr). account is null for an S3 bucket
//                          unless the bundle's layout gives it, and region is null for S3.
//   AwsResourceSet         {id, account, service, size}: resources of one account and service whose policies
//                          decide the same way for every principal they do not name by ARN, such as KMS keys
//                          whose default policy trusts the account root. Written by the CAN_ACCESS analysis.
//
// Relationships:
//   (AwsAccount)-[:IN_OU]->(AwsOrganizationalUnit)                the root or OU that directly contains the account
//   (AwsOrganizationalUnit)-[:CHILD_OF]->(AwsOrganizationalUnit)  an OU to its parent OU or root
//   (AwsOrganizationalUnit {root: true})-[:IN_ORGANIZATION]->(AwsOrganization)
//   (AwsAccount)-[:IN_ORGANIZATION]->(AwsOrganization)            a member account, the management account included
//   (AwsOrganizationalUnit|AwsAccount)-[:HAS_SCP]->(AwsPolicy {kind: 'scp'})   the SCP is attached to that target
//   (AwsOrganizationalUnit|AwsAccount)-[:HAS_RCP]->(AwsPolicy {kind: 'rcp'})   the RCP is attached to that target
//   (AwsResource)-[:HAS_POLICY]->(AwsPolicy {kind: 'resource'})   the resource-based policy of the resource
//   (AwsResource)-[:IN]->(AwsAccount)                             the account that owns the resource, where known
//   (AwsResourceSet)-[:INCLUDES]->(AwsResource)                   a member of the set
//   (Principal)-[:CAN_ACCESS {accessLevels, actionCount, conditional, evidence}]->(AwsResource)
//   (Principal)-[:CAN_ACCESS {..., except}]->(AwsResourceSet)   derived access; an edge to a set is an
//                          edge to each member but those in except (members whose policy names the
//                          principal, or that the principal's own statements name, which get edges of their
//                          own where access results). Every resource a principal reaches:
//                          MATCH (p)-[e:CAN_ACCESS]->()-[:INCLUDES*0..1]->(r:AwsResource)
//                          WHERE NOT r.id IN coalesce(e.except, []) RETURN r
// Every node and relationship written by a load carries "snapshot", the id of the Snapshot that last saw it.

CREATE CONSTRAINT aws_organization_id IF NOT EXISTS FOR (n:AwsOrganization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_organizational_unit_id IF NOT EXISTS FOR (n:AwsOrganizationalUnit) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_resource_id IF NOT EXISTS FOR (n:AwsResource) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_resource_set_id IF NOT EXISTS FOR (n:AwsResourceSet) REQUIRE n.id IS UNIQUE;

CREATE INDEX aws_organizational_unit_name IF NOT EXISTS FOR (n:AwsOrganizationalUnit) ON (n.name);
CREATE INDEX aws_policy_kind IF NOT EXISTS FOR (n:AwsPolicy) ON (n.kind);
CREATE INDEX aws_resource_service IF NOT EXISTS FOR (n:AwsResource) ON (n.service);
CREATE INDEX aws_resource_account IF NOT EXISTS FOR (n:AwsResource) ON (n.account);
