// name: constraints
// purpose: one node per cloud identifier. Every MERGE of the loaders keys on these properties.
// parameters: none
// limitations: Community edition has no property-existence constraints, so the loaders check for
//   missing identifiers before they write.
//
// Node keys:
//   Principal.id           an AWS ARN (user, role, group, account root), a service principal name such as
//                          ec2.amazonaws.com, or a federated provider (OIDC or SAML provider ARN, or a
//                          web identity host such as cognito-identity.amazonaws.com), or a federated
//                          subject: the lower-case sub condition key, "=" and the pattern, such as
//                          token.actions.githubusercontent.com:sub=repo:acme/app:ref:refs/heads/main
//   AwsPolicy.id           the policy ARN for managed policies; "<owner ARN>#inline/<policy name>" for
//                          inline policies, since AWS gives those no ARN
//   AwsInstanceProfile.id  the instance profile ARN
//   AwsAccessKey.id        the access key id (AKIA...), or "<user or root ARN>#access-key-<1 or 2>" for a key that
//                          only the credential report shows, which gives no key id
//   AwsWorkload.id         the ARN of an EC2 instance, Lambda function or ECS task definition
//   Snapshot.id            the SHA-256 of the loaded files, so loading the same files twice is one snapshot
//   EscalationTargetSet.id "escalation-targets:<technique id>:<account id>", the targets of one technique in
//                          one account
//   AssumeTargetSet.id     "assume-targets:account-root:<account id>", the roles of one account whose trust
//                          policies accept the account root unconditionally, with ":condition:<12 hex digits
//                          of the SHA-256 of the Condition block's JSON>" appended for those that accept it
//                          under the same condition (kept in the set's condition property)

CREATE CONSTRAINT principal_id IF NOT EXISTS FOR (n:Principal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_policy_id IF NOT EXISTS FOR (n:AwsPolicy) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_instance_profile_id IF NOT EXISTS FOR (n:AwsInstanceProfile) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_access_key_id IF NOT EXISTS FOR (n:AwsAccessKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aws_workload_id IF NOT EXISTS FOR (n:AwsWorkload) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT snapshot_id IF NOT EXISTS FOR (n:Snapshot) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT escalation_target_set_id IF NOT EXISTS FOR (n:EscalationTargetSet) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT assume_target_set_id IF NOT EXISTS FOR (n:AssumeTargetSet) REQUIRE n.id IS UNIQUE;
