// name: github-assumable-roles
// description: AWS roles that a GitHub Actions workflow can assume, and whether any repository on GitHub can (the
//   trust's sub condition is missing or matches every repository) or only some, with the admitted subject pattern.
// parameters: none
// limitations: a pattern such as repo:acme/* admits every repository of that owner and is not marked as "any
//   repository". Conditions on other claims than sub, such as job_workflow_ref, are not evaluated.
MATCH (s:FederatedSubject {providerKind: 'github'})-[e:CAN_ASSUME]->(role:AwsRole)
RETURN role.id AS role, s.anySubject AS anyRepository, s.pattern AS pattern, s.repository AS repository,
       role.adminEquivalent AS adminEquivalent, e.conditional AS conditional
ORDER BY anyRepository DESC, role, pattern;
