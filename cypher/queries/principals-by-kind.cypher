// name: principals-by-kind
// description: count the principals of each kind in each account, to check what a load brought in.
// parameters: none
// limitations: principals named only in trust policies (external = true) are counted apart.
MATCH (p:Principal)
RETURN p.kind AS kind, p.account AS account, coalesce(p.external, false) AS external, count(*) AS principals
ORDER BY account, kind;
