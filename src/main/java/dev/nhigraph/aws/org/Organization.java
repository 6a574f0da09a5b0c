package dev.nhigraph.aws.org;

import dev.nhigraph.aws.org.OrganizationModel.Account;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicy;
import dev.nhigraph.aws.org.OrganizationModel.OrganizationalUnit;
import java.util.List;

/**
 * The AWS Organizations content of one bundle, validated and ready to write.
 *
 * @param id                the organization id (o-...), from {@code describe-organization} or else from the
 *                          ARNs of roots, OUs and accounts; null when neither gives it
 * @param managementAccount the management account, to which SCPs and RCPs do not apply; null without
 *                          {@code describe-organization} output
 * @param units             the roots (with {@code root} true) and OUs
 * @param warnings          gaps that make the tree or the policies incomplete, such as an account without parent
 */
public record Organization(String id, String arn, String managementAccount, String featureSet,
                           List<OrganizationalUnit> units, List<Account> accounts, List<ControlPolicy> policies,
                           List<String> warnings) {
}
