// name: scp-attachments
// description: the service control policies and resource control policies of the AWS organization and the roots,
//   OUs and accounts each is attached to.
// parameters: none
// limitations: inherited SCPs (from a parent OU or the root) are not repeated on each account; follow IN_OU and
//   CHILD_OF for those. An SCP whose describe-policy output is missing has missing = true.
MATCH (target)-[r:HAS_SCP|HAS_RCP]->(policy:AwsPolicy)
RETURN policy.name AS policy, policy.kind AS kind, coalesce(policy.missing, false) AS missing,
       collect(DISTINCT coalesce(target.name, target.id)) AS attachedTo
ORDER BY kind, policy;
