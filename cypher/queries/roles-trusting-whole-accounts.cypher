// name: roles-trusting-whole-accounts
// description: AWS roles whose trust policy names an entire account (its root), so that any principal of that
//   account whose own policies allow sts:AssumeRole can assume the role; cross-account ones first.
// parameters: none
// limitations: raw trust only; whether a principal of the trusted account is allowed is in CAN_ASSUME.
MATCH (role:AwsRole)-[t:TRUSTS]->(account:AwsAccount)
RETURN role.id AS role, account.id AS trustedAccount, account.id <> role.account AS crossAccount,
       role.adminEquivalent AS adminEquivalent
ORDER BY crossAccount DESC, role;
