// name: cross-account-trust
// description: roles whose trust policy names a principal of another account, with the statements that do.
// parameters: none
// limitations: raw trust only; whether the other side's policies allow sts:AssumeRole is in CAN_ASSUME.
MATCH (role:AwsRole)-[t:TRUSTS]->(p:Principal)
WHERE p.account IS NOT NULL AND p.account <> role.account
RETURN role.id AS role, p.kind AS trustedKind, p.id AS trusted, p.account AS trustedAccount, t.evidence AS evidence
ORDER BY role, trusted;
