// name: gcp-service-account-iam-grants
// description: who holds a role on a GCP service account itself (its own IAM policy), such as
//   roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator, which lets them act as that account.
// parameters: none
// limitations: grants on the project or folder also reach the account but are not listed here; the derived
//   CAN_IMPERSONATE and CAN_ESCALATE edges include them.
MATCH (member:Principal)-[b:HAS_ROLE]->(account:GcpServiceAccount)
RETURN account.id AS serviceAccount, b.role AS role, member.id AS member, b.conditionExpression AS condition
ORDER BY serviceAccount, role, member;
