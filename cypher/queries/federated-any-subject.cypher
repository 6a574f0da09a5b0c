// name: federated-any-subject
// description: roles that any identity of an OIDC provider can assume (any repository on GitHub, any service account
//   of an EKS cluster, any subject of another provider), with the trust statements that admit it.
// parameters: none
// limitations: SAML subjects are left out, since a SAML identity provider decides in its assertions who gets which
//   role. A pattern is not compared with the patterns of other subjects (docs/federated-trust.md).
MATCH (s:FederatedSubject {anySubject: true})-[e:CAN_ASSUME]->(role:AwsRole)
WHERE s.protocol = 'oidc'
RETURN role.id AS role, role.adminEquivalent AS adminEquivalent, s.providerKind AS providerKind,
       s.provider AS provider, s.pattern AS pattern, s.name AS subject, e.conditional AS conditional,
       e.evidence AS evidence
ORDER BY adminEquivalent IS NULL, role, pattern;
