// Blast radius view: searches principals, draws what the chosen one can become
// through sts:AssumeRole and which services those principals reach, and shows
// the evidence behind every edge. The path view draws every path from the chosen
// principal to an administrator, or every principal that can reach it, one path
// highlighted at a time. Plain browser JavaScript, no build step.
//
// State for tests lives on window.nhigraph:
//   cy           the Cytoscape.js instance (null when Cytoscape.js failed to load)
//   ready        false while a blast radius request or layout is in progress,
//                true once the page has drawn the response or shown why it could not
//   lastError    {status, message, requestId, url} of the latest failure, reset to
//                null when a new blast radius request starts
//   blastRadius  the latest blast radius response as the API returned it
//   paths        {mode: 'to-admin' or 'reverse', id, count, index} while the path view is shown, else null
//   revokePlan   {from, cut, keys, drawn} while the revoke plan is marked on the blast radius, else null
//   summaries    {budget, groups, nodes, expanded} of the latest drawing: groups is the number of summary nodes
//   filtered     the number of edges that the filters hide
//   filters      {kind, account, level, technique}: the filter values applied last
// on #status as data-state, data-nodes and data-edges (drawn, so without hidden services),
// data-hidden-services, data-root, data-truncated, data-filtered and data-filtered-nodes,
// and on #details as data-selection (none, node or edge; paths, step or path-node in the path view;
// revoke-plan while the plan is shown)
// and data-selection-id.
'use strict';

(function () {
  const API_PRINCIPALS = '/api/principals';
  const API_BLAST_RADIUS = '/api/blast-radius';
  const API_HEALTH = '/api/health';
  const API_QUERIES = '/api/queries';
  const API_PATHS = '/api/paths';
  const API_REPORTS = '/api/reports';
  const API_REVOKE_PLAN = '/api/revoke-plan';
  const CYTOSCAPE_PATH = '/webjars/cytoscape/3.33.1/dist/cytoscape.min.js';

  const MIN_DEPTH = 1;
  const MAX_DEPTH = 8;
  const SEARCH_DEBOUNCE_MS = 250;
  const SEARCH_LIMIT = 20;
  // In the bundled sample an admin with "*" reaches 460 services, which bury the
  // sts:AssumeRole chain, so larger sets start hidden. The side panel still lists them
  // under each principal.
  const SERVICE_DRAW_LIMIT = 60;
  // Past this many principals and resources, leaves of one kind that hang off the same node are drawn as one summary
  // node ("212 resources (s3)") that expands on click. The address parameter budget=N sets another number.
  const DEFAULT_NODE_BUDGET = 150;
  const MAX_NODE_BUDGET = 5000;
  // A summary node stands for at least this many leaves; fewer are drawn as they are.
  const MIN_SUMMARY_GROUP = 3;
  const FIT_PADDING_PX = 40;
  const MAX_FIT_ZOOM = 1.25;
  // Layout sizes in model pixels (graph coordinates before zoom).
  const TREE_COLUMN_WIDTH_PX = 170;
  const TREE_LEVEL_HEIGHT_PX = 90;
  // A level with more principals than this is drawn in several rows, since one row of 40 service accounts is too
  // wide to read once fitted.
  const TREE_MAX_PER_ROW = 10;
  const SERVICE_CELL_WIDTH_PX = 100;
  const SERVICE_CELL_HEIGHT_PX = 60;
  const SERVICE_GRID_GAP_PX = 70;

  const KIND_NAMES = {
    AwsUser: 'User',
    AwsRole: 'Role',
    AwsGroup: 'Group',
    AwsService: 'AWS service',
    AwsResource: 'Resource',
    AwsServicePrincipal: 'Service principal',
    FederatedProvider: 'Identity provider',
    GcpServiceAccount: 'GCP service account',
    GcpMember: 'GCP member',
    GcpResource: 'GCP resource',
  };

  // Keep these colours equal to the custom properties in app.css, which the legend uses.
  const COLOURS = {
    user: '#4e79a7',
    role: '#f28e2b',
    group: '#59a14f',
    service: '#b07aa1',
    resource: '#e15759',
    servicePrincipal: '#76b7b2',
    provider: '#9c755f',
    admin: '#d62728',
    cut: '#e8590c',
    summary: '#e5e7eb',
    assume: '#333333',
    escalate: '#b91c1c',
    access: '#8c8c8c',
    accent: '#2563eb',
    unknownKind: '#9ca3af',
    text: '#1d2330',
  };

  // Known fields in display order, as [JSON name, label]. The side panel shows other
  // fields after these under their JSON name.
  const EVIDENCE_FIELDS = [
    ['policyName', 'Policy name'],
    ['policy', 'Policy'],
    ['policyKind', 'Policy kind'],
    ['via', 'Through group'],
    ['statement', 'Statement index'],
    ['sid', 'Sid'],
    ['effect', 'Effect'],
    ['actions', 'Actions'],
    ['resources', 'Resources'],
    ['principals', 'Principals'],
    ['condition', 'Condition'],
    ['note', 'Note'],
  ];
  // Evidence fields shown as "none" when the server leaves them out, so that a missing Sid or Condition is visible.
  const EVIDENCE_FIELDS_ALWAYS_SHOWN = new Set(['policyName', 'policy', 'statement', 'sid', 'effect', 'actions', 'resources', 'condition']);
  const SUMMARY_FIELDS = [
    ['principals', 'Principals'],
    ['services', 'Services'],
    ['admin', 'Reaches an administrator by policies alone'],
    ['adminEquivalent', 'Reaches an administrator, counting escalation'],
    ['serviceAccounts', 'GCP service accounts impersonated or acted as'],
    ['adminScopes', 'GCP scopes administered'],
    ['gcpResources', 'GCP resources with access by their own policy'],
    ['userManagedKeys', 'User-managed keys of the accounts reached'],
  ];
  const BOUNDS_FIELDS = [
    ['maxDepth', 'Maximum depth'],
    ['depthReached', 'Depth reached'],
    ['maxPrincipals', 'Maximum principals'],
    ['timeBudgetMillis', 'Time budget (ms)'],
    ['maxEdges', 'Maximum edges drawn'],
    ['edgesLeftOut', 'Edges left out'],
    ['truncated', 'Truncated'],
    ['reason', 'Reason'],
  ];
  const EDGE_FIELDS = [
    ['technique', 'Escalation technique'],
    ['accessLevels', 'Access levels'],
    ['actionCount', 'Actions allowed'],
    ['resources', 'Resources'],
  ];

  const dom = {
    search: document.getElementById('search'),
    results: document.getElementById('results'),
    searchBox: document.getElementById('search-box'),
    depth: document.getElementById('depth'),
    showServices: document.getElementById('show-services'),
    fit: document.getElementById('fit'),
    graph: document.getElementById('graph'),
    empty: document.getElementById('empty'),
    details: document.getElementById('details'),
    status: document.getElementById('status'),
    server: document.getElementById('server'),
    error: document.getElementById('error'),
    errorText: document.getElementById('error-text'),
    errorClose: document.getElementById('error-close'),
    queriesToggle: document.getElementById('queries-toggle'),
    queriesPanel: document.getElementById('queries-panel'),
    savedQuery: document.getElementById('saved-query'),
    savedQueryParams: document.getElementById('saved-query-params'),
    savedQueryRun: document.getElementById('saved-query-run'),
    savedQueryDescription: document.getElementById('saved-query-description'),
    queryResult: document.getElementById('query-result'),
    pathsToAdmin: document.getElementById('paths-to-admin'),
    whoCanReach: document.getElementById('who-can-reach'),
    findingsToggle: document.getElementById('findings-toggle'),
    exportPng: document.getElementById('export-png'),
    edgeFilter: document.getElementById('edge-filter'),
    accountFilter: document.getElementById('account-filter'),
    levelFilter: document.getElementById('level-filter'),
    techniqueFilter: document.getElementById('technique-filter'),
    filterSummary: document.getElementById('filter-summary'),
    revokePlan: document.getElementById('revoke-plan'),
    exportJson: document.getElementById('export-json'),
  };

  const state = {
    root: null,
    // Depth chosen in the address or the selector, or null to let the server apply its default.
    depth: null,
    // Whether the user ticked Services, or null to draw services only up to SERVICE_DRAW_LIMIT.
    showServices: null,
    skippedEdges: 0,
    blastRadius: null,
    loadController: null,
    loadSequence: 0,
    searchController: null,
    searchTimer: null,
    searchResults: [],
    activeResult: -1,
    // The path view, while it replaces the blast radius: { mode, id, answer (the API response), list, sources, index }.
    paths: null,
    // The revoke plan drawn over the blast radius: the API response, or null.
    revokePlan: null,
    // The summary nodes drawn, by id: { nodes, edges } that each stands for, as Cytoscape element definitions.
    summaries: new Map(),
  };

  const page = { cy: null, ready: false, lastError: null, blastRadius: null, savedQueries: null, query: null, paths: null,
    findings: null, lastExport: null, filtered: 0, revokePlan: null, summaries: null };
  window.nhigraph = page;

  // ---------------------------------------------------------------- API token

  // The tab's copy of the bearer token. sessionStorage keeps it for this tab only and drops it when the tab closes.
  const TOKEN_KEY = 'nhigraph.apiToken';
  const TOKEN_HINT = 'Open the address that nhigraph demo printed, or add #token=TOKEN to this address with the read'
    + ' token from the token file that nhigraph serve named.';

  /**
   * Moves a token from the address fragment (#token=...) into sessionStorage and removes it from the address, so
   * that it stays out of the history, bookmarks and screenshots. Browsers never send the fragment to a server, so it
   * reaches no request log and no Referer header either.
   */
  function takeTokenFromAddress() {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const token = fragment.get('token');
    if (!token) {
      return;
    }
    window.sessionStorage.setItem(TOKEN_KEY, token);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
  }

  function apiToken() {
    return window.sessionStorage.getItem(TOKEN_KEY);
  }

  // ---------------------------------------------------------------- API access

  class ApiError extends Error {
    constructor(status, message, requestId, url) {
      super(message);
      this.name = 'ApiError';
      this.status = status;
      this.requestId = requestId;
      this.url = url;
    }
  }

  /**
   * Fetches JSON from the API with the tab's bearer token; every request of the page goes through
   * here. A payload, when given, is sent as the JSON body of a POST. Rejects with an ApiError that
   * carries the server's error envelope ({status, message, requestId}) when there is one, or with
   * the AbortError of the fetch when the signal aborts it.
   */
  async function fetchJson(url, signal, payload) {
    const init = { headers: { Accept: 'application/json' }, signal };
    if (payload !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    let response;
    try {
      const token = apiToken();
      if (token) {
        init.headers.Authorization = `Bearer ${token}`;
      }
      response = await fetch(url, init);
    } catch (err) {
      if (err.name === 'AbortError') {
        throw err;
      }
      throw new ApiError(0, `Request to ${url} failed (${err.message}). Check that the nhigraph server is running.`, null, url);
    }

    const text = await response.text();
    let body = null;
    let parseFailed = false;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        parseFailed = true;
      }
    }

    if (!response.ok) {
      const envelope = body && typeof body === 'object' ? body : {};
      const message = typeof envelope.message === 'string' && envelope.message
        ? envelope.message
        : `HTTP ${response.status} ${response.statusText} from ${url}`;
      const status = Number.isInteger(envelope.status) ? envelope.status : response.status;
      const hint = status === 401 ? ` ${TOKEN_HINT}` : '';
      throw new ApiError(status, message + hint, envelope.requestId || null, url);
    }
    if (parseFailed || body === null) {
      throw new ApiError(response.status, `The server returned a response that is not JSON for ${url}.`, null, url);
    }
    return body;
  }

  function showError(err) {
    const error = {
      status: err.status === undefined ? null : err.status,
      message: err.message || String(err),
      requestId: err.requestId || null,
      url: err.url || null,
    };
    page.lastError = error;

    const details = [];
    if (error.status) {
      details.push(`HTTP ${error.status}`);
    }
    if (error.requestId) {
      details.push(`request id ${error.requestId}`);
    }
    dom.errorText.textContent = details.length ? `${error.message} (${details.join(', ')})` : error.message;
    dom.error.hidden = false;
    console.error('nhigraph:', error);
  }

  function hideError() {
    dom.error.hidden = true;
    dom.errorText.textContent = '';
  }

  // ---------------------------------------------------------------- DOM helpers

  /** Creates an element with attributes and children. Text children are inserted as text, never as HTML. */
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === 'className') {
        element.className = value;
      } else if (name.startsWith('on') && typeof value === 'function') {
        element.addEventListener(name.slice(2), value);
      } else {
        element.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) {
        continue;
      }
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }

  function plural(count, singular, pluralForm) {
    return `${count} ${count === 1 ? singular : (pluralForm || singular + 's')}`;
  }

  function kindBadge(kind) {
    return el('span', { className: `badge ${kind || ''}` }, KIND_NAMES[kind] || kind || 'unknown kind');
  }

  /** Renders any JSON value: lists as bullet lists, objects and JSON text as indented JSON, null as a muted word. */
  function renderValue(value) {
    if (value === null || value === undefined) {
      return el('span', { className: 'null' }, 'none');
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        return el('span', { className: 'null' }, 'empty list');
      }
      if (value.every((item) => item === null || typeof item !== 'object')) {
        return el('ul', null, value.map((item) => el('li', null, el('code', null, String(item)))));
      }
      return el('pre', null, JSON.stringify(value, null, 2));
    }
    if (typeof value === 'object') {
      return el('pre', null, JSON.stringify(value, null, 2));
    }
    if (typeof value === 'boolean') {
      return value ? 'yes' : 'no';
    }
    if (value === '') {
      return el('span', { className: 'null' }, 'empty');
    }
    if (typeof value === 'string' && /^\s*[{[]/.test(value)) {
      // Policy documents arrive as JSON text (trustPolicy, for one), which reads better indented.
      try {
        return el('pre', null, JSON.stringify(JSON.parse(value), null, 2));
      } catch (err) {
        // Not JSON after all: fall through and show the text as it is.
      }
    }
    return String(value);
  }

  function definitionList(entries) {
    const list = el('dl');
    for (const [term, value] of entries) {
      list.append(el('dt', null, term), el('dd', null, value instanceof Node ? value : renderValue(value)));
    }
    return list;
  }

  function shortName(id) {
    const text = String(id);
    const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf(':'));
    return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
  }

  // ---------------------------------------------------------------- status line

  function setStatus(stateName, text, attributes) {
    dom.status.textContent = text;
    dom.status.dataset.state = stateName;
    const values = Object.assign({ nodes: 0, edges: 0, hiddenServices: 0, root: state.root || '', truncated: false }, attributes || {});
    dom.status.dataset.nodes = String(values.nodes);
    dom.status.dataset.edges = String(values.edges);
    dom.status.dataset.hiddenServices = String(values.hiddenServices);
    dom.status.dataset.root = values.root;
    dom.status.dataset.truncated = String(values.truncated);
  }

  function describeBlastRadius(blastRadius, nodeCount, edgeCount, hiddenServices, skippedEdges) {
    const summary = blastRadius.summary || {};
    const bounds = blastRadius.bounds || {};
    const principals = Number.isInteger(summary.principals)
      ? summary.principals
      : blastRadius.nodes.filter((node) => node.kind !== 'AwsService').length;
    const services = Number.isInteger(summary.services)
      ? summary.services
      : blastRadius.nodes.filter((node) => node.kind === 'AwsService').length;

    let drawn = `${plural(nodeCount, 'node')}, ${plural(edgeCount, 'edge')} drawn`;
    if (hiddenServices > 0) {
      drawn += `, ${plural(hiddenServices, 'service')} hidden: tick Services to draw them`;
    }
    const parts = [`${plural(principals, 'principal')}, ${plural(services, 'service')} (${drawn})`];
    if (bounds.maxDepth !== undefined && bounds.maxDepth !== null) {
      const reached = bounds.depthReached !== undefined && bounds.depthReached !== null ? `${bounds.depthReached} of ` : '';
      parts.push(`depth ${reached}${bounds.maxDepth}`);
    }
    if (bounds.truncated) {
      parts.push(`truncated: ${bounds.reason || 'the server gave no reason'}`);
    } else {
      parts.push('complete');
    }
    if (skippedEdges > 0) {
      parts.push(`${plural(skippedEdges, 'edge')} not drawn because an endpoint is missing from the response`);
    }
    return parts.join(', ');
  }

  // ---------------------------------------------------------------- address (URL) state

  /** Reads id and depth from the address. An invalid depth is reported and replaced by the server default. */
  function readAddress() {
    const params = new URLSearchParams(window.location.search);
    const id = (params.get('id') || '').trim() || null;
    const depthText = params.get('depth');
    let depth = null;
    let problem = null;
    if (depthText !== null && depthText !== '') {
      const parsed = Number(depthText);
      if (Number.isInteger(parsed) && parsed >= MIN_DEPTH && parsed <= MAX_DEPTH) {
        depth = parsed;
      } else {
        problem = `Ignored depth "${depthText}" in the address: depth must be a whole number from ${MIN_DEPTH} to ${MAX_DEPTH}. The server's default depth is used instead.`;
      }
    }
    return { id, depth, problem };
  }

  function writeAddress(id, depth, push) {
    const params = new URLSearchParams();
    params.set('id', id);
    if (depth !== null) {
      params.set('depth', String(depth));
    }
    // The node budget is a setting of the tab, so it stays when another principal is chosen.
    const budget = new URLSearchParams(window.location.search).get('budget');
    if (budget !== null) {
      params.set('budget', budget);
    }
    const url = `${window.location.pathname}?${params.toString()}`;
    if (push) {
      window.history.pushState({ id, depth }, '', url);
    } else {
      window.history.replaceState({ id, depth }, '', url);
    }
  }

  function showPrincipal(id, depth, push) {
    state.depth = depth;
    writeAddress(id, depth, push);
    loadBlastRadius(id, depth);
  }

  function applyAddress() {
    const address = readAddress();
    state.depth = address.depth;
    syncDepthSelector(null);
    if (address.id) {
      loadBlastRadius(address.id, address.depth);
    } else {
      clearGraph();
      page.ready = true;
    }
    if (address.problem) {
      showError({ message: address.problem });
    }
  }

  // ---------------------------------------------------------------- depth selector

  /** Shows the explicit depth, else the depth the server applied, else "default". */
  function syncDepthSelector(appliedDepth) {
    const depth = state.depth !== null ? state.depth : appliedDepth;
    if (depth === null || depth === undefined) {
      dom.depth.value = '';
      return;
    }
    const value = String(depth);
    if (![...dom.depth.options].some((option) => option.value === value)) {
      // The server may apply a default outside 1..8; show it rather than a wrong number.
      dom.depth.append(el('option', { value }, value));
    }
    dom.depth.value = value;
  }

  function onDepthChange() {
    const value = dom.depth.value;
    const depth = value === '' ? null : Number(value);
    if (!state.root) {
      state.depth = depth;
      return;
    }
    showPrincipal(state.root, depth, true);
  }

  // ---------------------------------------------------------------- search

  function onSearchInput() {
    window.clearTimeout(state.searchTimer);
    state.searchTimer = window.setTimeout(runSearch, SEARCH_DEBOUNCE_MS);
  }

  async function runSearch() {
    const query = dom.search.value.trim();
    if (state.searchController) {
      state.searchController.abort();
      state.searchController = null;
    }
    if (!query) {
      hideResults();
      return;
    }

    const controller = new AbortController();
    state.searchController = controller;
    const url = `${API_PRINCIPALS}?q=${encodeURIComponent(query)}&limit=${SEARCH_LIMIT}`;
    try {
      const principals = await fetchJson(url, controller.signal);
      if (!Array.isArray(principals)) {
        throw new ApiError(200, `Expected a list of principals from ${url}.`, null, url);
      }
      renderResults(principals, query);
    } catch (err) {
      if (err.name === 'AbortError') {
        return;
      }
      hideResults();
      showError(err);
    } finally {
      if (state.searchController === controller) {
        state.searchController = null;
      }
    }
  }

  function renderResults(principals, query) {
    state.searchResults = principals;
    state.activeResult = -1;
    dom.results.replaceChildren();

    if (principals.length === 0) {
      dom.results.append(el('li', { className: 'message' }, `No principal matches "${query}".`));
    }
    principals.forEach((principal, index) => {
      const button = el('button', {
        type: 'button',
        tabindex: '-1',
        title: principal.id,
        'data-id': principal.id,
        onclick: () => choosePrincipal(principal),
      },
      el('span', { className: 'name' }, principal.name || shortName(principal.id)),
      el('span', { className: 'account' }, principal.account ? `account ${principal.account}` : principal.id),
      el('span', { className: 'kind' }, kindBadge(principal.kind)));
      dom.results.append(el('li', { id: `result-${index}`, role: 'option', 'aria-selected': 'false' }, button));
    });
    if (principals.length >= SEARCH_LIMIT) {
      dom.results.append(el('li', { className: 'message' }, `Showing the first ${SEARCH_LIMIT} matches; type more to narrow the search.`));
    }

    dom.results.hidden = false;
    dom.search.setAttribute('aria-expanded', 'true');
  }

  function hideResults() {
    dom.results.hidden = true;
    dom.results.replaceChildren();
    dom.search.setAttribute('aria-expanded', 'false');
    dom.search.removeAttribute('aria-activedescendant');
    state.searchResults = [];
    state.activeResult = -1;
  }

  function moveActiveResult(step) {
    const count = state.searchResults.length;
    if (count === 0) {
      return;
    }
    state.activeResult = (state.activeResult + step + count) % count;
    dom.results.querySelectorAll('li[role="option"]').forEach((item, index) => {
      const active = index === state.activeResult;
      item.setAttribute('aria-selected', String(active));
      if (active) {
        item.scrollIntoView({ block: 'nearest' });
        dom.search.setAttribute('aria-activedescendant', item.id);
      }
    });
  }

  function onSearchKeyDown(event) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      moveActiveResult(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      moveActiveResult(-1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const index = state.activeResult >= 0 ? state.activeResult : 0;
      if (state.searchResults[index]) {
        choosePrincipal(state.searchResults[index]);
      } else {
        // Enter before the debounce fired: search now instead of waiting.
        window.clearTimeout(state.searchTimer);
        runSearch();
      }
    } else if (event.key === 'Escape') {
      hideResults();
    }
  }

  function choosePrincipal(principal) {
    hideResults();
    dom.search.value = principal.name || principal.id;
    showPrincipal(principal.id, state.depth, true);
  }

  // ---------------------------------------------------------------- graph

  function graphStyle() {
    return [
      {
        selector: 'node',
        style: {
          'background-color': COLOURS.unknownKind,
          label: 'data(label)',
          color: COLOURS.text,
          'font-size': 11,
          'text-valign': 'bottom',
          'text-halign': 'center',
          'text-margin-y': 4,
          'text-wrap': 'ellipsis',
          'text-max-width': '180px',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.8,
          'text-background-padding': 1,
          width: 26,
          height: 26,
          'border-width': 1,
          'border-color': '#ffffff',
        },
      },
      { selector: 'node.AwsUser', style: { shape: 'ellipse', 'background-color': COLOURS.user } },
      { selector: 'node.AwsRole', style: { shape: 'round-rectangle', 'background-color': COLOURS.role, width: 36, height: 24 } },
      { selector: 'node.AwsGroup', style: { shape: 'hexagon', 'background-color': COLOURS.group, width: 32, height: 28 } },
      { selector: 'node.AwsServicePrincipal', style: { shape: 'round-triangle', 'background-color': COLOURS.servicePrincipal, width: 30, height: 28 } },
      { selector: 'node.FederatedProvider', style: { shape: 'round-tag', 'background-color': COLOURS.provider, width: 30, height: 28 } },
      { selector: 'node.AwsResource', style: { shape: 'barrel', 'background-color': COLOURS.resource, width: 28, height: 24 } },
      // GCP nodes share the AWS colours of their role in the graph and differ in shape.
      { selector: 'node.GcpServiceAccount', style: { shape: 'round-pentagon', 'background-color': COLOURS.role, width: 32, height: 28 } },
      { selector: 'node.GcpMember', style: { shape: 'round-octagon', 'background-color': COLOURS.user, width: 30, height: 28 } },
      { selector: 'node.GcpResource', style: { shape: 'cut-rectangle', 'background-color': COLOURS.resource, width: 28, height: 24 } },
      {
        selector: 'node.AwsService',
        style: { shape: 'diamond', 'background-color': COLOURS.service, width: 22, height: 22, 'text-max-width': '96px' },
      },
      {
        selector: 'node.admin',
        style: { 'border-width': 4, 'border-color': COLOURS.admin, color: COLOURS.admin, 'font-weight': 'bold' },
      },
      {
        selector: 'node.root',
        style: {
          'font-size': 12,
          'font-weight': 'bold',
          'text-max-width': '260px',
          'underlay-color': COLOURS.accent,
          'underlay-opacity': 0.18,
          'underlay-padding': 9,
        },
      },
      {
        selector: 'edge',
        style: {
          width: 1,
          'curve-style': 'bezier',
          'line-color': COLOURS.access,
          'target-arrow-color': COLOURS.access,
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.8,
        },
      },
      {
        selector: 'edge.CAN_ASSUME',
        style: { width: 3, 'line-color': COLOURS.assume, 'target-arrow-color': COLOURS.assume, 'arrow-scale': 1 },
      },
      {
        selector: 'edge.CAN_ESCALATE',
        style: { width: 3, 'line-color': COLOURS.escalate, 'target-arrow-color': COLOURS.escalate, 'arrow-scale': 1 },
      },
      {
        selector: 'edge.CAN_IMPERSONATE',
        style: { width: 3, 'line-color': COLOURS.escalate, 'target-arrow-color': COLOURS.escalate, 'target-arrow-shape': 'triangle-tee', 'arrow-scale': 1 },
      },
      {
        selector: 'edge.MEMBER_OF',
        style: { width: 2, 'line-color': COLOURS.group, 'target-arrow-color': COLOURS.group, 'line-style': 'dotted' },
      },
      { selector: 'edge.conditional', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
      { selector: '.faded', style: { opacity: 0.2 } },
      { selector: 'edge.filtered', style: { display: 'none' } },
      { selector: 'node.filtered', style: { display: 'none' } },
      {
        selector: 'node.Summary',
        style: {
          shape: 'round-rectangle', 'background-color': COLOURS.summary, 'border-width': 2, 'border-style': 'dashed',
          'border-color': COLOURS.text, width: 44, height: 26, 'font-weight': 'bold',
        },
      },
      { selector: 'node.cut', style: { 'border-width': 5, 'border-color': COLOURS.cut } },
      {
        selector: 'edge.cut',
        style: { width: 6, 'line-color': COLOURS.cut, 'target-arrow-color': COLOURS.cut, 'z-index': 8, label: 'cut',
          'font-size': 10, color: COLOURS.cut, 'text-background-color': '#ffffff', 'text-background-opacity': 0.9 },
      },
      { selector: 'edge.on-path', style: { width: 5, 'z-index': 9 } },
      { selector: 'node.hidden', style: { display: 'none' } },
      {
        selector: 'node:selected',
        style: { 'overlay-color': COLOURS.accent, 'overlay-opacity': 0.3, 'overlay-padding': 6 },
      },
      {
        selector: 'edge:selected',
        style: { 'line-color': COLOURS.accent, 'target-arrow-color': COLOURS.accent, 'z-index': 10 },
      },
    ];
  }

  function createGraph() {
    const cy = cytoscape({
      container: dom.graph,
      elements: [],
      style: graphStyle(),
      boxSelectionEnabled: false,
      selectionType: 'single',
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
    });

    // A real tap selects through the renderer, but an emitted 'tap' does not, so select explicitly.
    cy.on('tap', 'node, edge', (event) => {
      cy.elements().not(event.target).unselect();
      event.target.select();
    });
    cy.on('select unselect', renderSelection);
    cy.on('tap', 'node.Summary', (event) => expandSummary(event.target.id()));

    // Cytoscape.js re-reads its container size only on window resize, but the error
    // banner and the legend also change the height of the graph area.
    new ResizeObserver(() => cy.resize()).observe(dom.graph);
    return cy;
  }

  /** Converts the API response into Cytoscape elements; edges whose endpoints are missing are counted, not added. */
  function toElements(blastRadius) {
    const nodeIds = new Set();
    const elements = [];
    for (const node of blastRadius.nodes) {
      if (!node || node.id === undefined || node.id === null || nodeIds.has(String(node.id))) {
        continue;
      }
      const id = String(node.id);
      nodeIds.add(id);
      const classes = [node.kind || 'unknown'];
      if (node.admin === true) {
        classes.push('admin');
      }
      if (id === String(blastRadius.root)) {
        classes.push('root');
      }
      elements.push({
        group: 'nodes',
        data: { id, label: node.label || shortName(id), kind: node.kind, admin: node.admin === true, depth: node.depth },
        classes: classes.join(' '),
      });
    }

    let skippedEdges = 0;
    const edgeIds = new Set();
    blastRadius.edges.forEach((edge, index) => {
      const source = String(edge.source);
      const target = String(edge.target);
      if (!nodeIds.has(source) || !nodeIds.has(target)) {
        skippedEdges += 1;
        console.warn('nhigraph: edge not drawn because an endpoint is missing from the response', edge);
        return;
      }
      let id = edge.id !== undefined && edge.id !== null ? String(edge.id) : `${edge.type}:${source}->${target}`;
      if (edgeIds.has(id) || nodeIds.has(id)) {
        id = `${id}#${index}`;
      }
      edgeIds.add(id);
      const classes = [edge.type || 'unknown'];
      if (edge.conditional === true) {
        classes.push('conditional');
      }
      elements.push({
        group: 'edges',
        data: { id, source, target, type: edge.type, technique: edge.technique || null, conditional: edge.conditional === true, index },
        classes: classes.join(' '),
      });
    });
    return { elements, skippedEdges };
  }

  function clearGraph() {
    state.root = null;
    state.blastRadius = null;
    page.blastRadius = null;
    if (page.cy) {
      page.cy.elements().remove();
    }
    dom.empty.hidden = false;
    setStatus('idle', 'No principal chosen.');
    renderSelection();
  }

  async function loadBlastRadius(id, depth) {
    if (state.loadController) {
      state.loadController.abort();
    }
    const controller = new AbortController();
    state.loadController = controller;
    const sequence = ++state.loadSequence;

    state.root = id;
    state.paths = null;
    page.paths = null;
    state.revokePlan = null;
    page.revokePlan = null;
    dom.revokePlan.disabled = false;
    dom.pathsToAdmin.disabled = false;
    dom.whoCanReach.disabled = false;
    page.ready = false;
    page.lastError = null;
    hideError();
    setStatus('loading', `Loading the blast radius of ${id}…`, { root: id });

    let url = `${API_BLAST_RADIUS}?id=${encodeURIComponent(id)}`;
    if (depth !== null) {
      url += `&depth=${depth}`;
    }

    let blastRadius;
    try {
      blastRadius = await fetchJson(url, controller.signal);
      if (!blastRadius || !Array.isArray(blastRadius.nodes) || !Array.isArray(blastRadius.edges)) {
        throw new ApiError(200, `The blast radius response from ${url} has no "nodes" or "edges" list.`, null, url);
      }
    } catch (err) {
      if (err.name === 'AbortError' || sequence !== state.loadSequence) {
        return;
      }
      state.blastRadius = null;
      page.blastRadius = null;
      if (page.cy) {
        page.cy.elements().remove();
      }
      dom.empty.hidden = false;
      setStatus('error', `Could not load the blast radius of ${id}.`, { root: id });
      showError(err);
      renderSelection();
      page.ready = true;
      return;
    }
    if (sequence !== state.loadSequence) {
      return;
    }
    drawBlastRadius(blastRadius);
  }

  function drawBlastRadius(blastRadius) {
    const cy = page.cy;
    const { elements, skippedEdges } = toElements(blastRadius);
    state.blastRadius = blastRadius;
    page.blastRadius = blastRadius;
    state.root = String(blastRadius.root !== undefined && blastRadius.root !== null ? blastRadius.root : state.root);
    const grouped = summarizeLeaves(elements, state.root, nodeBudget());

    cy.batch(() => {
      cy.elements().remove();
      cy.add(grouped);
    });
    fillFilterChoices(blastRadius);
    dom.empty.hidden = cy.nodes().length > 0;

    const bounds = blastRadius.bounds || {};
    syncDepthSelector(Number.isInteger(bounds.maxDepth) ? bounds.maxDepth : null);
    if (!dom.search.value) {
      const rootNode = cy.getElementById(state.root);
      dom.search.value = rootNode.nonempty() ? rootNode.data('label') : state.root;
    }

    state.skippedEdges = skippedEdges;
    applyFilters();
    showGraph();
    renderSelection();
    page.ready = true;
  }

  /** Hides or shows the service nodes as chosen, lays out what is shown and fits it into view. */
  function showGraph() {
    const cy = page.cy;
    const services = cy.nodes('.AwsService');
    const showServices = state.showServices !== null ? state.showServices : services.length <= SERVICE_DRAW_LIMIT;
    dom.showServices.checked = showServices;
    cy.batch(() => {
      services.toggleClass('hidden', !showServices);
      cy.nodes('.hidden:selected').unselect();
    });

    cy.resize();
    layoutGraph(cy, cy.getElementById(state.root));
    fitGraph();

    const drawnNodes = cy.nodes(':visible').length;
    const drawnEdges = cy.edges(':visible').length;
    const hiddenServices = showServices ? 0 : services.length;
    const bounds = state.blastRadius.bounds || {};
    let description = describeBlastRadius(state.blastRadius, drawnNodes, drawnEdges, hiddenServices, state.skippedEdges);
    if (state.summaries.size > 0) {
      description += `, ${plural(state.summaries.size, 'group')} of nodes drawn as one node: click one to expand it`;
    }
    setStatus('ready', description, {
      nodes: drawnNodes,
      edges: drawnEdges,
      hiddenServices,
      root: state.root,
      truncated: bounds.truncated === true,
    });
  }

  function onShowServicesChange() {
    state.showServices = dom.showServices.checked;
    if (state.blastRadius) {
      page.ready = false;
      showGraph();
      renderSelection();
      page.ready = true;
    }
  }

  /**
   * Sizes the principal tree from the number of principals per level. Without a bounding box
   * the breadthfirst layout spreads the levels over the whole viewport, which leaves no room
   * for the service grid below it.
   */
  function treeBoundingBox(principals, rootNode) {
    const perDepth = new Map();
    treeLevels(principals, rootNode).forEach((nodes, depth) => perDepth.set(depth, nodes.length));
    const levels = Math.max(...perDepth.keys()) + 1;
    const widest = Math.max(...perDepth.values());
    return { x1: 0, y1: 0, w: Math.max(1, widest) * TREE_COLUMN_WIDTH_PX, h: Math.max(1, levels) * TREE_LEVEL_HEIGHT_PX };
  }

  /**
   * Returns the principals by their depth from the root. Group nodes carry no depth in the
   * response, so the depth of each node comes from a breadth-first search over the drawn edges.
   */
  function treeLevels(principals, rootNode) {
    const depthOf = new Map();
    if (rootNode.nonempty() && principals.contains(rootNode)) {
      principals.union(principals.edgesWith(principals)).breadthFirstSearch({
        root: rootNode,
        directed: true,
        visit: (node, edge, previous, index, depth) => {
          depthOf.set(node.id(), depth);
        },
      });
    }
    const levels = new Map();
    principals.forEach((node) => {
      const depth = depthOf.has(node.id()) ? depthOf.get(node.id()) : 0;
      if (!levels.has(depth)) {
        levels.set(depth, []);
      }
      levels.get(depth).push(node);
    });
    return levels;
  }

  /**
   * Redraws the tree with each level wider than TREE_MAX_PER_ROW split into rows, keeping the
   * left-to-right order that the breadthfirst layout chose. Narrower trees keep that layout.
   */
  function wrapWideLevels(principals, rootNode) {
    const levels = treeLevels(principals, rootNode);
    const widest = Math.max(...[...levels.values()].map((nodes) => nodes.length));
    if (widest <= TREE_MAX_PER_ROW) {
      return;
    }
    let y = 0;
    [...levels.keys()].sort((a, b) => a - b).forEach((depth) => {
      const nodes = levels.get(depth).sort((a, b) => a.position('x') - b.position('x'));
      for (let start = 0; start < nodes.length; start += TREE_MAX_PER_ROW) {
        const row = nodes.slice(start, start + TREE_MAX_PER_ROW);
        const offset = (TREE_MAX_PER_ROW - row.length) * TREE_COLUMN_WIDTH_PX / 2;
        row.forEach((node, index) => {
          node.position({ x: offset + (index + 0.5) * TREE_COLUMN_WIDTH_PX, y: y + TREE_LEVEL_HEIGHT_PX / 2 });
        });
        y += TREE_LEVEL_HEIGHT_PX;
      }
    });
  }

  /**
   * Chooses the number of service grid columns that lets the whole graph, tree above and
   * grid below, be fitted at the largest zoom in the current viewport.
   */
  function bestServiceColumns(cy, serviceCount, treeBox) {
    const viewWidth = Math.max(1, cy.width() - 2 * FIT_PADDING_PX);
    const viewHeight = Math.max(1, cy.height() - 2 * FIT_PADDING_PX);
    const treeWidth = treeBox.x2 - treeBox.x1;
    const treeHeight = treeBox.y2 - treeBox.y1;
    let best = 1;
    let bestZoom = 0;
    for (let columns = 1; columns <= serviceCount; columns++) {
      const width = Math.max(treeWidth, columns * SERVICE_CELL_WIDTH_PX);
      const height = treeHeight + SERVICE_GRID_GAP_PX + Math.ceil(serviceCount / columns) * SERVICE_CELL_HEIGHT_PX;
      const zoom = Math.min(viewWidth / width, viewHeight / height);
      if (zoom > bestZoom) {
        best = columns;
        bestZoom = zoom;
      }
    }
    return best;
  }

  /** Fits the graph into view, but never zooms a small graph in further than MAX_FIT_ZOOM. */
  function fitGraph() {
    const cy = page.cy;
    cy.fit(cy.elements(':visible'), FIT_PADDING_PX);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center(cy.elements(':visible'));
    }
  }

  /**
   * Places principals as a tree of sts:AssumeRole steps from the root (breadthfirst layout),
   * then services in a grid below it. A single breadthfirst layout puts all services of a
   * level in one row, and with 20 or more services that row is too wide to read once fitted.
   * Both layouts run synchronously (animate: false).
   */
  function layoutGraph(cy, rootNode) {
    const services = cy.nodes('.AwsService').not('.hidden');
    const principals = cy.nodes().not('.AwsService');
    const assumeEdges = principals.edgesWith(principals);

    if (principals.nonempty()) {
      principals.union(assumeEdges).layout({
        name: 'breadthfirst',
        directed: true,
        roots: rootNode.nonempty() && !rootNode.hasClass('AwsService') ? rootNode : undefined,
        boundingBox: treeBoundingBox(principals, rootNode),
        // The box already leaves room for labels. The default spacingFactor of Cytoscape.js
        // 3.33 (1.75, applied to the widest label) spreads the levels far outside it.
        spacingFactor: 1,
        avoidOverlap: true,
        nodeDimensionsIncludeLabels: false,
        animate: false,
      }).run();
      wrapWideLevels(principals, rootNode);
    }
    if (services.empty()) {
      return;
    }

    const treeBox = principals.nonempty() ? principals.boundingBox({ includeLabels: true }) : { x1: 0, x2: 0, y2: 0 };
    const columns = bestServiceColumns(cy, services.length, treeBox);
    const rows = Math.ceil(services.length / columns);
    const width = columns * SERVICE_CELL_WIDTH_PX;
    const centre = (treeBox.x1 + treeBox.x2) / 2;
    // Order services by the mean x of the principals that reach them and fill the grid
    // column by column, so each service sits under its principals and fewer edges cross.
    const meanSourceX = new Map();
    services.forEach((service) => {
      const sources = service.incomers('node');
      const sum = sources.reduce((total, source) => total + source.position('x'), 0);
      meanSourceX.set(service.id(), sources.nonempty() ? sum / sources.length : centre);
    });
    const ordered = services.sort((a, b) => (meanSourceX.get(a.id()) - meanSourceX.get(b.id()))
      || a.data('label').localeCompare(b.data('label')));
    const cellOf = new Map();
    ordered.forEach((service, index) => {
      cellOf.set(service.id(), { row: index % rows, col: Math.floor(index / rows) });
    });

    services.layout({
      name: 'grid',
      cols: columns,
      rows,
      position: (service) => cellOf.get(service.id()),
      boundingBox: { x1: centre - width / 2, y1: treeBox.y2 + SERVICE_GRID_GAP_PX, w: width, h: rows * SERVICE_CELL_HEIGHT_PX },
      avoidOverlap: true,
      animate: false,
    }).run();

    // Shift each row by its own fraction of a cell, because an edge that runs straight down
    // a column otherwise passes through the services above its target and looks like it starts there.
    services.forEach((service) => {
      service.shift('x', SERVICE_CELL_WIDTH_PX * cellOf.get(service.id()).row / rows);
    });
  }

  // ---------------------------------------------------------------- side panel

  function renderSelection() {
    const cy = page.cy;
    const selected = cy ? cy.$(':selected') : null;
    if (state.paths) {
      renderPathSelection(selected);
      return;
    }
    if (cy) {
      cy.batch(() => {
        cy.elements().removeClass('faded');
        if (selected.nonempty()) {
          const keep = selected.isNode() ? selected.closedNeighborhood() : selected.union(selected.connectedNodes());
          cy.elements().not(keep).addClass('faded');
        }
      });
    }

    if (selected && selected.nonempty() && selected.isNode()) {
      renderNodeDetails(selected);
    } else if (selected && selected.nonempty() && selected.isEdge()) {
      renderEdgeDetails(selected);
    } else {
      renderSummary();
    }
  }

  function setDetails(kind, id, ...children) {
    dom.details.dataset.selection = kind;
    dom.details.dataset.selectionId = id || '';
    dom.details.replaceChildren(...children);
  }

  function renderSummary() {
    const blastRadius = state.blastRadius;
    if (blastRadius && state.revokePlan) {
      renderRevokePanel();
      return;
    }
    if (!blastRadius) {
      setDetails('none', '',
        el('h2', null, 'Blast radius'),
        el('p', { className: 'hint' },
          'Choose a principal in the search box. The graph shows the roles it can assume, step by step, ' +
          'and the services that it and those roles can access.'));
      return;
    }

    const summary = blastRadius.summary || {};
    const bounds = blastRadius.bounds || {};
    const rootNode = page.cy.getElementById(state.root);
    const children = [
      el('h2', null, rootNode.nonempty() ? rootNode.data('label') : shortName(state.root)),
      el('p', { className: 'subtitle' }, el('code', null, state.root)),
    ];
    // A blast radius requested by access key id is computed for the key's user, and this note names the key and its status.
    const credential = blastRadius.credential;
    if (credential && credential.text) {
      children.push(el('p', { className: `credential-note${credential.inactive ? ' inactive' : ''}`, id: 'credential-note' },
        credential.text));
    }
    children.push(
      el('h3', null, 'Summary'),
      definitionList(labelledFields(summary, SUMMARY_FIELDS, ['actionsByAccessLevel', 'unknownActions', 'resourcesByAccessLevel'])),
      el('h3', null, 'Search bounds'),
      definitionList(labelledFields(bounds, BOUNDS_FIELDS, [])));

    const levels = summary.actionsByAccessLevel;
    if (levels && typeof levels === 'object' && Object.keys(levels).length > 0) {
      children.push(el('h3', null, 'Actions by access level'), countTable('Access level', 'Actions', Object.entries(levels)));
    }
    const resourceLevels = summary.resourcesByAccessLevel;
    if (resourceLevels && typeof resourceLevels === 'object' && Object.keys(resourceLevels).length > 0) {
      children.push(el('h3', null, 'GCP resources by access level'),
        countTable('Access level', 'Resources', Object.entries(resourceLevels)));
    }
    const unknownActions = Array.isArray(summary.unknownActions) ? summary.unknownActions : [];
    if (unknownActions.length > 0) {
      children.push(
        el('h3', null, `Actions not in the action catalog (${unknownActions.length})`),
        el('p', { className: 'hint' }, 'These actions are granted but have no known access level, so the counts above leave them out.'),
        renderValue(unknownActions));
    }
    children.push(...summaryButtons());
    children.push(el('p', { className: 'hint' }, 'Select a node or an edge to see its details.'));
    setDetails('none', '', ...children);
  }

  /** Lists the known fields of an object in order with their labels, then every other field but the skipped ones. */
  function labelledFields(object, knownFields, skipped) {
    const fields = [];
    const known = new Set(skipped);
    for (const [key, label] of knownFields) {
      known.add(key);
      if (object[key] !== undefined) {
        fields.push([label, object[key]]);
      }
    }
    for (const [key, value] of Object.entries(object)) {
      if (!known.has(key)) {
        fields.push([key, value]);
      }
    }
    return fields;
  }

  function countTable(keyHeading, valueHeading, rows) {
    return el('table', null,
      el('thead', null, el('tr', null, el('th', null, keyHeading), el('th', null, valueHeading))),
      el('tbody', null, rows.map(([key, value]) => el('tr', null, el('td', null, key), el('td', { className: 'count' }, renderValue(value))))));
  }

  function findResponseNode(id) {
    return state.blastRadius.nodes.find((node) => node && String(node.id) === id) || {};
  }

  function renderNodeDetails(element) {
    const node = findResponseNode(element.id());
    const badges = [kindBadge(node.kind)];
    if (node.admin === true) {
      badges.push(' ', el('span', { className: 'badge admin' }, 'admin'));
    }

    const fields = [
      ['ID', el('code', null, element.id())],
      ['Kind', node.kind],
      ['Label', node.label],
      ['Account', node.account],
      ['Depth', node.depth],
      ['Admin', node.admin === true],
    ];
    const known = new Set(['id', 'kind', 'label', 'account', 'depth', 'admin', 'properties', 'access']);
    for (const [key, value] of Object.entries(node)) {
      if (!known.has(key)) {
        fields.push([key, value]);
      }
    }

    const children = [
      el('h2', null, element.data('label')),
      el('p', { className: 'subtitle' }, badges),
      definitionList(fields),
    ];

    const properties = node.properties && typeof node.properties === 'object' ? Object.entries(node.properties) : [];
    children.push(el('h3', null, 'Properties'));
    children.push(properties.length ? definitionList(properties) : el('p', { className: 'hint' }, 'No properties.'));

    const access = node.access && typeof node.access === 'object' ? Object.entries(node.access) : [];
    if (access.length) {
      children.push(el('h3', null, 'Access by service'));
      const rows = access
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([service, levels]) => [service, describeLevels(levels)]);
      children.push(countTable('Service', 'Actions by access level', rows));
    }

    const path = pathFromRoot(element);
    if (path) {
      children.push(el('h3', null, 'Path from the chosen principal'), path);
    }
    setDetails('node', element.id(), ...children);
  }

  function describeLevels(levels) {
    if (!levels || typeof levels !== 'object') {
      return renderValue(levels);
    }
    return Object.entries(levels).map(([level, count]) => `${level} ${count}`).join(', ');
  }

  /** Lists the shortest directed chain of edges from the root to the node, each step selectable. */
  function pathFromRoot(target) {
    const cy = page.cy;
    const root = cy.getElementById(state.root);
    if (root.empty() || root.same(target)) {
      return null;
    }
    const result = cy.elements().aStar({ root, goal: target, directed: true });
    if (!result.found) {
      return el('p', { className: 'hint' }, 'No directed path from the chosen principal in this response.');
    }
    const steps = el('ol');
    result.path.edges().forEach((edge) => {
      const link = el('a', { href: '#', 'data-edge': edge.id() }, `${edge.source().data('label')} → ${edge.target().data('label')}`);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        edge.emit('tap');
      });
      const technique = edge.data('technique') ? ` ${edge.data('technique')}` : '';
      steps.append(el('li', null, link, ` (${edge.data('type')}${technique}${edge.data('conditional') ? ', conditional' : ''})`));
    });
    return steps;
  }

  function renderEdgeDetails(element) {
    const edge = state.blastRadius.edges[element.data('index')] || {};
    const source = element.source();
    const target = element.target();

    const fields = [
      ['Type', edge.type],
      ['Conditional', edge.conditional === true],
      ['From', el('code', null, source.id())],
      ['To', el('code', null, target.id())],
      ...labelledFields(edge, EDGE_FIELDS, ['id', 'source', 'target', 'type', 'conditional', 'evidence']),
      ['Edge ID', el('code', null, element.id())],
    ];

    const evidence = Array.isArray(edge.evidence) ? edge.evidence : [];
    const children = [
      el('h2', null, edge.type || 'Edge'),
      el('p', { className: 'subtitle' }, `${source.data('label')} → ${target.data('label')}`),
      definitionList(fields),
      el('h3', null, `Evidence (${evidence.length})`),
    ];
    if (evidence.length === 0) {
      children.push(el('p', { className: 'hint' }, 'The server returned no evidence for this edge.'));
    }
    evidence.forEach((item) => children.push(renderEvidence(item)));
    setDetails('edge', element.id(), ...children);
  }

  function renderEvidence(item) {
    const evidence = item && typeof item === 'object' ? item : { note: item };
    // An item without a policy explains the edge in words (statement -1 from this server) and is shown as a note.
    const isNote = evidence.policy === undefined || evidence.policy === null;
    const title = isNote ? 'Note' : (evidence.policyName || evidence.policy);
    const displayValues = Object.assign({}, evidence);
    if (isNote) {
      delete displayValues.statement;
    }
    for (const key of EVIDENCE_FIELDS_ALWAYS_SHOWN) {
      if (displayValues[key] === undefined && !isNote) {
        displayValues[key] = null;
      }
    }
    if (displayValues.condition !== null && displayValues.condition !== undefined) {
      // A condition block is shown as JSON even when it is a string or a list.
      displayValues.condition = el('pre', null, JSON.stringify(displayValues.condition, null, 2));
    }
    for (const key of ['policy', 'policyName']) {
      if (displayValues[key] !== null && displayValues[key] !== undefined) {
        displayValues[key] = el('code', null, String(displayValues[key]));
      }
    }
    const fields = labelledFields(displayValues, EVIDENCE_FIELDS, []);
    const effectClass = typeof evidence.effect === 'string' ? evidence.effect : '';
    return el('section', { className: `evidence ${isNote ? 'note' : effectClass}`, 'data-policy': evidence.policy || '' },
      el('h4', null, title),
      definitionList(fields));
  }

  // ---------------------------------------------------------------- server health

  async function showHealth() {
    try {
      const health = await fetchJson(API_HEALTH);
      const parts = [`server ${health.status || 'unknown'}`];
      if (health.neo4j) {
        parts.push(`Neo4j ${health.neo4j}`);
      }
      const snapshot = health.snapshot;
      if (snapshot && typeof snapshot === 'object') {
        const name = snapshot.id || snapshot.name || snapshot.takenAt || snapshot.createdAt || snapshot.loadedAt;
        parts.push(name ? `snapshot ${name}` : 'snapshot loaded');
        // A live collection that could not make some calls loaded less than the account has; the tooltip lists them.
        const collectionGaps = Array.isArray(snapshot.collectionGaps) ? snapshot.collectionGaps.length : 0;
        if (collectionGaps > 0) {
          parts.push(`${plural(collectionGaps, 'collection gap')} (calls that gave nothing)`);
        }
        dom.server.title = JSON.stringify(snapshot, null, 2);
      }
      dom.server.textContent = parts.join(' · ');
    } catch (err) {
      dom.server.textContent = `Health check failed: ${err.message}`;
      console.error('nhigraph: health check failed', err);
    }
  }


  // ---------------------------------------------------------------- saved queries

  function toggleQueries() {
    const open = dom.queriesPanel.hidden;
    dom.queriesPanel.hidden = !open;
    dom.queriesToggle.setAttribute('aria-expanded', String(open));
    if (open && page.savedQueries === null) {
      loadSavedQueries();
    }
    if (open) {
      dom.savedQuery.focus();
    }
  }

  async function loadSavedQueries() {
    try {
      const queries = await fetchJson(API_QUERIES);
      page.savedQueries = queries;
      dom.savedQuery.replaceChildren(...queries.map((query) => el('option', { value: query.name }, query.name)));
      renderSavedQueryForm();
    } catch (err) {
      showError(err);
    }
  }

  function selectedSavedQuery() {
    return (page.savedQueries || []).find((query) => query.name === dom.savedQuery.value) || null;
  }

  /** Shows the description and limitations of the chosen query and one input per parameter, filled with its default. */
  function renderSavedQueryForm() {
    const query = selectedSavedQuery();
    if (!query) {
      return;
    }
    dom.savedQueryDescription.replaceChildren(query.description, el('br'), el('em', null, 'Limitations: '), query.limitations);
    dom.savedQueryParams.replaceChildren(...query.parameters.map((parameter) => el('label', { title: parameter.description },
      `${parameter.name} `,
      el('input', {
        type: parameter.type === 'integer' ? 'number' : 'text',
        'data-parameter': parameter.name,
        value: parameter.defaultValue === null || parameter.defaultValue === undefined ? '' : String(parameter.defaultValue),
        placeholder: parameter.defaultValue === null || parameter.defaultValue === undefined ? 'required' : '',
      }))));
  }

  async function runSavedQuery() {
    const query = selectedSavedQuery();
    if (!query) {
      return;
    }
    const params = {};
    for (const input of dom.savedQueryParams.querySelectorAll('input[data-parameter]')) {
      const parameter = query.parameters.find((p) => p.name === input.dataset.parameter);
      // An empty box leaves a required parameter missing, so the server names it; an optional one takes its default.
      if (input.value !== '' || parameter.defaultValue === null || parameter.defaultValue === undefined) {
        params[input.dataset.parameter] = input.value;
      }
    }
    page.ready = false;
    page.query = null;
    page.lastError = null;
    hideError();
    setStatus('loading', `Running the saved query ${query.name}…`);
    try {
      const answer = await fetchJson(`${API_QUERIES}/${encodeURIComponent(query.name)}`, undefined, { params });
      showQueryAnswer(query.name, answer);
    } catch (err) {
      page.lastError = err;
      showError(err);
      setStatus('error', `The saved query ${query.name} failed.`);
    } finally {
      page.ready = true;
    }
  }

  /** Draws the answer's nodes and relationships when it has any, and lists its rows in a table either way. */
  function showQueryAnswer(name, answer) {
    const graph = answer.graph || { nodes: [], relationships: [] };
    const drawn = graph.nodes.length > 0;
    state.paths = null;
    page.paths = null;
    state.root = null;
    state.blastRadius = null;
    page.blastRadius = null;
    if (drawn) {
      page.cy.elements().remove();
      page.cy.add(queryElements(graph));
      dom.empty.hidden = true;
      page.cy.layout({ name: 'cose', animate: false, padding: FIT_PADDING_PX }).run();
      fitGraph();
    }
    renderQueryTable(name, answer);
    page.query = { name, rowCount: answer.rowCount, truncated: answer.truncated, drawn };
    const rows = plural(answer.rowCount, 'row');
    const cap = answer.truncated ? `, cut at the cap of ${answer.limits.maxRows}` : '';
    setStatus('query', drawn
      ? `${name}: ${rows}${cap}; ${plural(graph.nodes.length, 'node')} and ${plural(graph.relationships.length, 'relationship')} drawn.`
      : `${name}: ${rows}${cap}.`,
    { nodes: drawn ? graph.nodes.length : 0, edges: drawn ? graph.relationships.length : 0, truncated: answer.truncated });
  }

  function queryElements(graph) {
    const elements = [];
    for (const node of graph.nodes) {
      const properties = node.properties || {};
      const kind = node.labels.find((label) => label !== 'Principal' && label !== 'Credential') || node.labels[0];
      const classes = [kind || 'unknown'];
      if (properties.adminEquivalent) {
        classes.push('admin');
      }
      elements.push({
        group: 'nodes',
        data: { id: node.elementId, label: properties.name || shortName(properties.id || node.elementId), kind, admin: Boolean(properties.adminEquivalent) },
        classes: classes.join(' '),
      });
    }
    for (const relationship of graph.relationships) {
      const properties = relationship.properties || {};
      const classes = [relationship.type];
      if (properties.conditional === true) {
        classes.push('conditional');
      }
      elements.push({
        group: 'edges',
        data: { id: relationship.elementId, source: relationship.start, target: relationship.end, type: relationship.type,
          technique: properties.technique || null, conditional: properties.conditional === true },
        classes: classes.join(' '),
      });
    }
    return elements;
  }

  /** Returns the text of a cell: a node as its id or name, a relationship as its type, a path as its steps. */
  function cellText(value) {
    if (value === null || value === undefined) {
      return '';
    }
    if (Array.isArray(value)) {
      return value.map(cellText).join(', ');
    }
    if (typeof value === 'object') {
      if (value.labels && value.properties) {
        return String(value.properties.id || value.properties.name || value.elementId);
      }
      if (value.type && value.start) {
        return `[:${value.type}]`;
      }
      if (value.nodes && value.relationships) {
        return value.nodes.map(cellText).join(' → ');
      }
      return JSON.stringify(value);
    }
    return String(value);
  }

  function renderQueryTable(name, answer) {
    const head = el('tr', null, answer.columns.map((column) => el('th', { scope: 'col' }, column)));
    const body = answer.rows.map((row) => el('tr', null, answer.columns.map((column) => el('td', null, cellText(row[column])))));
    const caption = el('caption', null, `${name}: ${plural(answer.rowCount, 'row')}`
      + (answer.truncated ? ` (more rows were left out: the cap is ${answer.limits.maxRows})` : ''));
    dom.queryResult.replaceChildren(el('table', { 'data-query': name }, caption, el('thead', null, head), el('tbody', null, body)));
    dom.queryResult.hidden = false;
  }


  // ---------------------------------------------------------------- path view

  /** Returns the node kind that an id names, because the paths response gives principals by id only. */
  function kindOfId(id) {
    if (/^arn:aws[\w-]*:iam::\d+:role\//.test(id)) {
      return 'AwsRole';
    }
    if (/^arn:aws[\w-]*:iam::\d+:user\//.test(id)) {
      return 'AwsUser';
    }
    if (/^arn:aws[\w-]*:iam::\d+:group\//.test(id)) {
      return 'AwsGroup';
    }
    if (id.startsWith('serviceAccount:')) {
      return 'GcpServiceAccount';
    }
    if (/^(user|group|domain):/.test(id)) {
      return 'GcpMember';
    }
    return id.startsWith('arn:') ? 'AwsResource' : 'unknown';
  }

  /**
   * Replaces the blast radius with paths. Mode 'to-admin' requests every path from the chosen principal to an
   * administrator, and 'reverse' every principal that can reach the chosen one, each with a shortest path.
   */
  async function loadPaths(mode) {
    const id = state.paths ? state.paths.id : state.root;
    if (!id) {
      showError({ message: 'Choose a principal first: search for one above.' });
      return;
    }
    if (state.loadController) {
      state.loadController.abort();
    }
    const controller = new AbortController();
    state.loadController = controller;
    const sequence = ++state.loadSequence;
    page.ready = false;
    hideError();
    const url = mode === 'to-admin'
      ? `${API_PATHS}?from=${encodeURIComponent(id)}&to=admin`
      : `${API_PATHS}?to=${encodeURIComponent(id)}`;
    setStatus('loading', mode === 'to-admin' ? `Searching paths from ${id} to an administrator…` : `Searching who can reach ${id}…`, { root: id });

    let answer;
    try {
      answer = await fetchJson(url, controller.signal);
    } catch (err) {
      if (err.name === 'AbortError' || sequence !== state.loadSequence) {
        return;
      }
      setStatus('error', `Could not search the paths of ${id}.`, { root: id });
      showError(err);
      page.ready = true;
      return;
    }
    if (sequence !== state.loadSequence) {
      return;
    }
    const sources = Array.isArray(answer.sources) ? answer.sources.filter((source) => source.witness) : [];
    const list = mode === 'to-admin' ? (answer.paths || []) : sources.map((source) => source.witness);
    state.paths = { mode, id, answer, list, sources, index: 0 };
    state.blastRadius = null;
    page.blastRadius = null;
    drawPaths();
    page.paths = { mode, id, count: list.length, index: 0 };
    page.ready = true;
  }

  /** Draws the union of the paths, one edge per distinct step, and highlights the first path. */
  function drawPaths() {
    const cy = page.cy;
    const { mode, id, list, answer } = state.paths;
    const administrators = new Set((answer.administrators || []).map((admin) => admin.principal));
    const elements = [];
    const nodes = new Set();
    const edges = new Map();
    const addNode = (principal) => {
      if (nodes.has(principal)) {
        return;
      }
      nodes.add(principal);
      const kind = kindOfId(principal);
      const classes = [kind];
      if (principal === id) {
        classes.push('root');
      }
      if (administrators.has(principal)) {
        classes.push('admin');
      }
      elements.push({ group: 'nodes', data: { id: principal, label: shortName(principal), kind }, classes: classes.join(' ') });
    };
    addNode(id);
    list.forEach((path, pathIndex) => {
      (path.principals || [path.from, path.to]).forEach(addNode);
      (path.steps || []).forEach((step, stepIndex) => {
        const key = `${step.from}\u0000${step.to}\u0000${step.kind}\u0000${step.technique || ''}`;
        if (!edges.has(key)) {
          const edgeId = `step-${edges.size}`;
          edges.set(key, edgeId);
          addNode(step.from);
          addNode(step.to);
          elements.push({
            group: 'edges',
            data: { id: edgeId, source: step.from, target: step.to, type: step.kind, technique: step.technique || null,
              conditional: step.conditional === true, path: pathIndex, step: stepIndex },
            classes: [step.kind, step.conditional === true ? 'conditional' : ''].join(' ').trim(),
          });
        }
        step.edgeId = edges.get(key);
      });
    });
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    dom.empty.hidden = true;
    dom.queryResult.hidden = true;
    const roots = mode === 'to-admin' ? cy.getElementById(id) : cy.nodes().filter((node) => node.id() !== id && node.indegree() === 0);
    cy.layout({ name: 'breadthfirst', directed: true, roots: roots.nonempty() ? roots : undefined, spacingFactor: 1.1,
      animate: false, padding: FIT_PADDING_PX }).run();
    fitGraph();
    applyFilters();
    highlightPath(0);
  }

  /** Highlights the path at index and fades the rest, then shows its steps in the side panel. */
  function highlightPath(index) {
    const cy = page.cy;
    const paths = state.paths;
    paths.index = index;
    if (page.paths) {
      page.paths.index = index;
    }
    const path = paths.list[index];
    cy.batch(() => {
      cy.elements().removeClass('faded on-path');
      if (path) {
        const onPath = cy.collection();
        (path.principals || []).forEach((principal) => {
          onPath.merge(cy.getElementById(principal));
        });
        (path.steps || []).forEach((step) => onPath.merge(cy.getElementById(step.edgeId)));
        onPath.edges().addClass('on-path');
        cy.elements().not(onPath).addClass('faded');
      }
    });
    cy.elements().unselect();
    renderPathPanel();
    const reach = state.paths.mode === 'to-admin' ? state.paths.answer.reachable : null;
    setStatus('paths', paths.list.length === 0
      ? (paths.mode === 'to-admin' ? `No path from ${shortName(paths.id)} to an administrator (${reach}).` : `Nothing can reach ${shortName(paths.id)}.`)
      : `Path ${index + 1} of ${paths.list.length}` + (reach ? `; reaches an administrator: ${reach}.` : '.'),
    { root: paths.id, nodes: cy.nodes().length, edges: cy.edges().length, paths: paths.list.length, index });
  }

  function renderPathSelection(selected) {
    if (selected && selected.nonempty() && selected.isEdge()) {
      const path = state.paths.list[selected.data('path')];
      const step = path && path.steps ? path.steps[selected.data('step')] : null;
      if (step) {
        setDetails('step', selected.id(), el('h2', null, step.technique || step.kind),
          el('p', { className: 'subtitle' }, `${shortName(step.from)} → ${shortName(step.to)}`),
          ...stepEvidence(step));
        return;
      }
    }
    if (selected && selected.nonempty() && selected.isNode()) {
      const id = selected.id();
      const open = el('button', { type: 'button', id: 'open-blast-radius' }, 'Show its blast radius');
      open.addEventListener('click', () => showPrincipal(id, state.depth, true));
      setDetails('path-node', id, el('h2', null, shortName(id)), el('p', { className: 'subtitle' }, kindBadge(selected.data('kind'))),
        definitionList([['ID', el('code', null, id)]]), open);
      return;
    }
    renderPathPanel();
  }

  /** Returns the step's kind, technique and condition, then the statements behind it. */
  function stepEvidence(step) {
    const evidence = Array.isArray(step.evidence) ? step.evidence : [];
    const children = [definitionList([['Kind', step.kind], ['Technique', step.technique], ['Conditional', step.conditional === true],
      ['From', el('code', null, step.from)], ['To', el('code', null, step.to)]])];
    children.push(el('h4', null, `Evidence (${evidence.length})`));
    evidence.forEach((item) => children.push(renderEvidence(item)));
    return children;
  }

  function renderPathPanel() {
    const { mode, id, answer, list, sources, index } = state.paths;
    const children = [el('h2', null, mode === 'to-admin' ? 'Paths to an administrator' : 'Who can reach this'),
      el('p', { className: 'subtitle' }, el('code', null, id))];
    const back = el('button', { type: 'button', id: 'back-to-blast-radius' }, 'Back to the blast radius');
    back.addEventListener('click', () => showPrincipal(id, state.depth, false));
    children.push(back);

    if (mode === 'to-admin') {
      children.push(definitionList([['Reaches an administrator', answer.reachable], ['Shortest', answer.distance]]));
    } else {
      children.push(definitionList([['Principals that can reach it', answer.total], ['Listed', sources.length]]));
    }
    if (answer.bounded) {
      children.push(el('details', null, el('summary', null, 'Bounds of the search'), definitionList(Object.entries(answer.bounded))));
    }
    if (list.length === 0) {
      children.push(el('p', { className: 'hint' }, mode === 'to-admin'
        ? 'No path to an administrator within the bounds.' : 'No principal can reach it within the bounds.'));
      setDetails('paths', id, ...children);
      return;
    }

    const previous = el('button', { type: 'button', id: 'path-previous', 'aria-label': 'Previous path' }, '◀');
    const next = el('button', { type: 'button', id: 'path-next', 'aria-label': 'Next path' }, '▶');
    previous.disabled = index === 0;
    next.disabled = index >= list.length - 1;
    previous.addEventListener('click', () => highlightPath(index - 1));
    next.addEventListener('click', () => highlightPath(index + 1));
    const path = list[index];
    children.push(el('p', { className: 'path-nav' }, previous, ` Path ${index + 1} of ${list.length}: ${plural(path.length, 'step')}`
      + `${path.conditional ? ', conditional' : ''} `, next));

    const steps = el('ol', { className: 'path-steps' });
    (path.steps || []).forEach((step) => {
      steps.append(el('li', null, el('strong', null, `${shortName(step.from)} → ${shortName(step.to)}`),
        ` ${step.kind}${step.technique ? ` ${step.technique}` : ''}${step.conditional ? ' (conditional)' : ''}`, ...stepEvidence(step)));
    });
    children.push(steps);

    if (mode === 'to-admin') {
      const end = (answer.administrators || []).find((admin) => admin.principal === path.to);
      if (end) {
        children.push(el('h3', null, `Why ${shortName(end.principal)} is an administrator`),
          definitionList([['Administrator', end.adminEquivalent], ['Scopes', end.scopes], ['Techniques', end.techniques]]));
        (end.evidence || []).forEach((item) => children.push(renderEvidence(item)));
      }
    } else {
      const sourceList = el('ol', { className: 'path-sources' });
      sources.forEach((source, sourceIndex) => {
        const link = el('a', { href: '#', 'data-principal': source.principal }, shortName(source.principal));
        link.addEventListener('click', (event) => {
          event.preventDefault();
          highlightPath(sourceIndex);
        });
        sourceList.append(el('li', null, link, ` ${source.reachable}, ${plural(source.distance, 'step')}`));
      });
      children.push(el('h3', null, 'Principals'), sourceList);
    }
    setDetails('paths', id, ...children);
  }


  // ---------------------------------------------------------------- findings

  /**
   * Lists the open findings of the latest report and the reports before it, under the graph. Each principal opens
   * its blast radius, so a finding leads to the graph that explains it.
   */
  async function showFindings() {
    let reports;
    try {
      reports = await fetchJson(API_REPORTS);
    } catch (err) {
      showError(err);
      return;
    }
    const children = [];
    if (!reports.reports || reports.reports.length === 0) {
      children.push(el('p', { className: 'hint', id: 'findings-none' }, reports.note
        || `No findings report in ${reports.folder} yet; the first scheduled run writes one.`));
      page.findings = { reports: 0, open: 0 };
      dom.queryResult.replaceChildren(...children);
      dom.queryResult.hidden = false;
      return;
    }
    let latest;
    try {
      latest = await fetchJson(`${API_REPORTS}/latest`);
    } catch (err) {
      showError(err);
      return;
    }

    const history = reports.reports.map((report) => el('tr', null,
      el('td', null, report.generatedAt), el('td', null, String(report.open)), el('td', null, String(report.accepted)),
      el('td', null, Object.entries(report.bySeverity || {}).map(([severity, count]) => `${count} ${severity}`).join(', '))));
    children.push(el('table', { id: 'report-history' },
      el('caption', null, `Findings reports in ${reports.folder}, newest first`),
      el('thead', null, el('tr', null, ['Generated', 'Open', 'Accepted', 'By severity'].map((text) => el('th', { scope: 'col' }, text)))),
      el('tbody', null, history)));

    const comparison = latest.comparison || {};
    const changes = comparison.previousGeneratedAt
      ? ` Since ${comparison.previousGeneratedAt}: ${comparison.newCount} new, ${comparison.resolvedCount} resolved.` : '';
    const rows = (latest.findings || []).map((finding) => {
      const open = el('a', { href: '#', 'data-principal': finding.principal }, shortName(finding.principal));
      open.addEventListener('click', (event) => {
        event.preventDefault();
        dom.search.value = '';
        showPrincipal(finding.principal, state.depth, true);
      });
      return el('tr', { 'data-rule': finding.rule }, el('td', null, finding.severity), el('td', null, el('code', null, finding.rule)),
        el('td', { title: finding.principal }, open), el('td', null, finding.detail || ''));
    });
    children.push(el('table', { id: 'findings' },
      el('caption', null, `Open findings of the report of ${latest.generatedAt}: ${(latest.findings || []).length}.${changes}`),
      el('thead', null, el('tr', null, ['Severity', 'Rule', 'Principal', 'Found'].map((text) => el('th', { scope: 'col' }, text)))),
      el('tbody', null, rows)));
    dom.queryResult.replaceChildren(...children);
    dom.queryResult.hidden = false;
    page.findings = { reports: reports.reports.length, open: rows.length };
  }



  // ---------------------------------------------------------------- filters

  /** Lists, in the filter selectors, the accounts, access levels and techniques of the drawn blast radius. */
  function fillFilterChoices(blastRadius) {
    const accounts = new Set();
    const levels = new Set();
    const techniques = new Set();
    blastRadius.nodes.forEach((node) => {
      if (node && node.account) {
        accounts.add(String(node.account));
      }
      const project = node && node.properties ? node.properties.project : null;
      if (project) {
        accounts.add(String(project));
      }
    });
    blastRadius.edges.forEach((edge) => {
      if (edge.type === 'CAN_ACCESS' && Array.isArray(edge.accessLevels)) {
        edge.accessLevels.forEach((level) => levels.add(String(level)));
      }
      if (edge.technique) {
        techniques.add(String(edge.technique));
      }
    });
    setChoices(dom.accountFilter, accounts);
    setChoices(dom.levelFilter, levels);
    setChoices(dom.techniqueFilter, techniques);
  }

  /** Replaces a selector's choices with "all" and the sorted values, keeping the chosen one when it is still there. */
  function setChoices(select, values) {
    const chosen = select.value;
    const sorted = [...values].sort();
    select.replaceChildren(el('option', { value: '' }, 'all'), ...sorted.map((value) => el('option', { value }, value)));
    select.value = sorted.includes(chosen) ? chosen : '';
  }

  /** Returns the account or GCP project of a drawn node, from the response, or null for a node without one. */
  function accountOf(node) {
    const id = node.id();
    if (node.data('account')) {
      return node.data('account');
    }
    const response = state.blastRadius ? findResponseNode(id) : {};
    return response.account || (response.properties && response.properties.project) || null;
  }

  /**
   * Hides what the filters leave out; hidden elements stay in the graph, so the side panel and the exports still
   * have them. Steps: all but one kind, or the conditional ones. Account or project: the nodes of other accounts and
   * projects, except the chosen principal, and their edges. Access level: the access edges without that level.
   * Technique: the escalation steps of other techniques. A node that has no shown edge left is hidden too, unless
   * it is the chosen principal.
   */
  function applyFilters() {
    const cy = page.cy;
    if (!cy) {
      return;
    }
    const kind = dom.edgeFilter.value;
    const account = dom.accountFilter.value;
    const level = dom.levelFilter.value;
    const technique = dom.techniqueFilter.value;
    const anyFilter = kind !== '' || account !== '' || level !== '' || technique !== '';
    let hiddenEdges = 0;
    let hiddenNodes = 0;
    cy.batch(() => {
      const nodesLeftOut = new Set();
      cy.nodes().forEach((node) => {
        const nodeAccount = account === '' ? null : accountOf(node);
        if (account !== '' && node.id() !== state.root && nodeAccount !== null && nodeAccount !== account) {
          nodesLeftOut.add(node.id());
        }
      });
      cy.edges().forEach((edge) => {
        const type = edge.data('type');
        const levels = accessLevelsOf(edge);
        const leftOut = (kind === 'unconditional' ? edge.data('conditional') === true
          : kind !== '' && type !== kind && type !== 'MEMBER_OF')
          || nodesLeftOut.has(edge.source().id()) || nodesLeftOut.has(edge.target().id())
          || (level !== '' && type === 'CAN_ACCESS' && !levels.includes(level))
          || (technique !== '' && type === 'CAN_ESCALATE' && edge.data('technique') !== technique);
        edge.toggleClass('filtered', leftOut);
        if (leftOut) {
          hiddenEdges += 1;
        }
      });
      cy.nodes().forEach((node) => {
        const isolated = anyFilter && node.id() !== state.root && node.connectedEdges().not('.filtered').empty();
        const leftOut = nodesLeftOut.has(node.id()) || isolated;
        node.toggleClass('filtered', leftOut);
        if (leftOut) {
          hiddenNodes += 1;
        }
      });
      cy.elements('.filtered:selected').unselect();
    });
    page.filtered = hiddenEdges;
    page.filters = { kind, account, level, technique };
    dom.status.dataset.filtered = String(hiddenEdges);
    dom.status.dataset.filteredNodes = String(hiddenNodes);
    dom.filterSummary.textContent = anyFilter
      ? `${plural(hiddenNodes, 'node')} and ${plural(hiddenEdges, 'edge')} hidden by the filters` : '';
  }

  /** Returns the access levels of an access edge, from the response of the blast radius. */
  function accessLevelsOf(edge) {
    const index = edge.data('index');
    const response = state.blastRadius && index !== undefined ? state.blastRadius.edges[index] : null;
    if (response && Array.isArray(response.accessLevels)) {
      return response.accessLevels;
    }
    return Array.isArray(edge.data('accessLevels')) ? edge.data('accessLevels') : [];
  }

  // ---------------------------------------------------------------- summary nodes

  /** Returns the node budget: the address parameter budget=N, else DEFAULT_NODE_BUDGET. */
  function nodeBudget() {
    const text = new URLSearchParams(window.location.search).get('budget');
    const parsed = Number(text);
    if (text !== null && Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_NODE_BUDGET) {
      return parsed;
    }
    if (text !== null) {
      showError({ message: `Ignored budget "${text}" in the address: it must be a whole number from 1 to ${MAX_NODE_BUDGET}. The default of ${DEFAULT_NODE_BUDGET} nodes is used instead.` });
    }
    return DEFAULT_NODE_BUDGET;
  }

  /** Returns the plural name of a group of nodes of one kind, such as "roles" or "resources (s3)". */
  function groupName(kind, service) {
    const name = (KIND_NAMES[kind] || kind || 'node').toLowerCase();
    const plural = name.endsWith('s') ? name : `${name}s`;
    return service ? `${plural} (${service})` : plural;
  }

  /**
   * Replaces groups of leaves with summary nodes, largest group first, until no more principals and resources than
   * the budget are drawn. A leaf is a node with one edge, other than the chosen principal and the AWS services,
   * which the Services box controls. A group is the leaves of one kind and service on one neighbour. Returns the
   * elements to draw, and keeps what each summary node replaces in state.summaries.
   */
  function summarizeLeaves(elements, rootId, budget) {
    state.summaries = new Map();
    const nodes = elements.filter((element) => element.group === 'nodes');
    let counted = nodes.filter((node) => node.data.kind !== 'AwsService').length;
    if (counted <= budget) {
      page.summaries = { budget, groups: 0, nodes: counted };
      return elements;
    }

    // A principal's edges to AWS services do not keep it from being a leaf: the Services box hides them when there
    // are many, and they go into the summary with the principal.
    const services = new Set(nodes.filter((node) => node.data.kind === 'AwsService').map((node) => node.data.id));
    const edgesOf = new Map();
    const serviceEdgesOf = new Map();
    elements.filter((element) => element.group === 'edges').forEach((edge) => {
      const toService = services.has(edge.data.target);
      [edge.data.source, edge.data.target].forEach((id) => {
        const byNode = toService ? serviceEdgesOf : edgesOf;
        if (!byNode.has(id)) {
          byNode.set(id, []);
        }
        byNode.get(id).push(edge);
      });
    });
    const groups = new Map();
    nodes.forEach((node) => {
      const edges = edgesOf.get(node.data.id) || [];
      if (node.data.id === rootId || node.data.kind === 'AwsService' || edges.length !== 1) {
        return;
      }
      const edge = edges[0];
      const outward = edge.data.target === node.data.id;
      const neighbour = outward ? edge.data.source : edge.data.target;
      const service = state.blastRadius ? (findResponseNode(node.data.id).properties || {}).service : null;
      const key = [neighbour, outward, node.data.kind, edge.data.type, service || ''].join('\u0000');
      if (!groups.has(key)) {
        groups.set(key, { neighbour, outward, kind: node.data.kind, type: edge.data.type, service, nodes: [], edges: [] });
      }
      groups.get(key).nodes.push(node);
      groups.get(key).edges.push(edge, ...(serviceEdgesOf.get(node.data.id) || []));
    });

    const removed = new Set();
    const added = [];
    const largestFirst = [...groups.values()].filter((group) => group.nodes.length >= MIN_SUMMARY_GROUP)
      .sort((a, b) => b.nodes.length - a.nodes.length);
    for (const group of largestFirst) {
      if (counted <= budget) {
        break;
      }
      const id = `summary:${state.summaries.size}`;
      group.nodes.forEach((node) => removed.add(node));
      group.edges.forEach((edge) => removed.add(edge));
      state.summaries.set(id, { nodes: group.nodes, edges: group.edges, neighbour: group.neighbour });
      added.push({
        group: 'nodes',
        data: { id, label: `${group.nodes.length} ${groupName(group.kind, group.service)}`, kind: 'Summary', members: group.nodes.length },
        classes: 'Summary',
      });
      added.push({
        group: 'edges',
        data: { id: `${id}:edge`, source: group.outward ? group.neighbour : id, target: group.outward ? id : group.neighbour,
          type: group.type, summary: id },
        classes: group.type || 'unknown',
      });
      counted -= group.nodes.length - 1;
    }
    page.summaries = { budget, groups: state.summaries.size, nodes: counted };
    return elements.filter((element) => !removed.has(element)).concat(added);
  }

  /** Replaces a summary node with the nodes and edges it stands for, and lays the graph out again. */
  function expandSummary(id) {
    const group = state.summaries.get(id);
    const cy = page.cy;
    if (!group || !cy) {
      return;
    }
    cy.elements().unselect();
    cy.batch(() => {
      cy.getElementById(id).remove();
      cy.add(group.nodes.concat(group.edges));
    });
    state.summaries.delete(id);
    page.summaries = Object.assign({}, page.summaries, { groups: state.summaries.size,
      nodes: page.summaries.nodes + group.nodes.length - 1, expanded: (page.summaries.expanded || 0) + 1 });
    page.ready = false;
    applyFilters();
    if (state.revokePlan) {
      markCut();
    }
    showGraph();
    renderSelection();
    page.ready = true;
  }

  /** Returns a button per summary node, for the side panel, so that a keyboard can expand them too. */
  function summaryButtons() {
    if (state.summaries.size === 0) {
      return [];
    }
    const list = el('ul', { className: 'summary-groups' });
    state.summaries.forEach((group, id) => {
      const node = page.cy.getElementById(id);
      const button = el('button', { type: 'button', 'data-summary': id }, `Expand ${node.data('label')}`);
      button.addEventListener('click', () => expandSummary(id));
      list.append(el('li', null, button, ` next to ${shortName(group.neighbour)}`));
    });
    return [el('h3', null, 'Groups drawn as one node'), list];
  }

  // ---------------------------------------------------------------- revoke plan

  /**
   * Requests the revoke plan of the chosen principal and marks the steps to cut on the blast radius. For a blast
   * radius opened by access key id, the request names that key, so the plan marks it as the leaked one.
   */
  async function loadRevokePlan() {
    if (!state.blastRadius && state.paths && state.paths.id) {
      // From the path view, go back to the principal's blast radius first, because the plan is drawn over it.
      const id = state.paths.id;
      writeAddress(id, state.depth, false);
      await loadBlastRadius(id, state.depth);
    }
    if (!state.blastRadius || !state.root) {
      showError({ message: 'The plan is drawn over a blast radius: choose a principal above, or go back to its blast radius first.' });
      return;
    }
    const credential = state.blastRadius.credential;
    const from = credential && credential.keyId ? credential.keyId : state.root;

    const controller = new AbortController();
    state.loadController = controller;
    const sequence = ++state.loadSequence;
    page.ready = false;
    hideError();
    setStatus('loading', `Computing what to revoke if ${shortName(from)} leaked…`, { root: state.root });
    const depth = state.depth !== null ? `&depth=${state.depth}` : '';
    const url = `${API_REVOKE_PLAN}?from=${encodeURIComponent(from)}${depth}`;
    let plan;
    try {
      plan = await fetchJson(url, controller.signal);
    } catch (err) {
      if (err.name === 'AbortError' || sequence !== state.loadSequence) {
        return;
      }
      setStatus('error', `Could not compute what to revoke for ${from}.`, { root: state.root });
      showError(err);
      page.ready = true;
      return;
    }
    if (sequence !== state.loadSequence) {
      return;
    }

    state.revokePlan = plan;
    page.cy.elements().unselect();
    const drawn = markCut();
    page.revokePlan = { from, cut: (plan.cut || []).length, keys: (plan.keys || []).length, drawn };
    renderSelection();
    setStatus('revoke-plan', `If ${shortName(from)} leaked: ${plural((plan.cut || []).length, 'change')} cut every path found`
      + ` to an administrator, and ${plural((plan.keys || []).length, 'key')} to revoke.`, { root: state.root,
      nodes: page.cy.nodes(':visible').length, edges: page.cy.edges(':visible').length });
    page.ready = true;
  }

  /**
   * Marks the drawn steps that the plan cuts, and a root that is an administrator itself. A step inside a summary
   * node is drawn on the summary's edge. Returns how many of the plan's steps are marked.
   */
  function markCut() {
    const cy = page.cy;
    const plan = state.revokePlan;
    let drawn = 0;
    cy.batch(() => {
      cy.elements().removeClass('cut');
      (plan.cut || []).forEach((item) => {
        if (item.kind === 'OWN_ADMIN_RIGHTS') {
          cy.getElementById(item.from).addClass('cut');
          drawn += 1;
          return;
        }
        const edges = cy.edges().filter((edge) => edge.source().id() === item.from && edge.target().id() === item.to
          && edge.data('type') === item.kind && (edge.data('technique') || null) === (item.technique || null));
        if (edges.nonempty()) {
          edges.addClass('cut');
          drawn += 1;
          return;
        }
        for (const [id, group] of state.summaries) {
          if (group.edges.some((edge) => edge.data.source === item.from && edge.data.target === item.to)) {
            cy.getElementById(`${id}:edge`).addClass('cut');
            drawn += 1;
            return;
          }
        }
      });
    });
    return drawn;
  }

  function renderRevokePanel() {
    const plan = state.revokePlan;
    const children = [el('h2', null, 'If this leaked: what to revoke'), el('p', { className: 'subtitle' }, el('code', null, plan.from))];
    if (plan.credential && plan.credential.text) {
      children.push(el('p', { className: `credential-note${plan.credential.inactive ? ' inactive' : ''}` }, plan.credential.text));
    }
    const back = el('button', { type: 'button', id: 'close-revoke-plan' }, 'Back to the summary');
    back.addEventListener('click', () => {
      state.revokePlan = null;
      page.revokePlan = null;
      page.cy.elements().removeClass('cut');
      renderSelection();
    });
    children.push(back);

    const keys = plan.keys || [];
    children.push(el('h3', null, `Keys to revoke (${keys.length})`));
    if (keys.length === 0) {
      children.push(el('p', { className: 'hint' }, 'The graph holds no key of the principals on the paths.'));
    } else {
      children.push(el('table', { className: 'revoke-keys', id: 'revoke-keys' },
        el('thead', null, el('tr', null, ['Key', 'Status', 'Principal', 'Last used'].map((text) => el('th', { scope: 'col' }, text)))),
        el('tbody', null, keys.map((key) => el('tr', { className: key.leaked ? 'leaked' : '', 'data-key': key.keyId },
          el('td', null, key.keyId + (key.leaked ? ' (leaked)' : '')), el('td', null, key.status || 'unknown'),
          el('td', { title: key.principal }, shortName(key.principal)), el('td', null, key.lastUsedAt || ''))))));
    }

    const cut = plan.cut || [];
    children.push(el('h3', null, `Changes that cut every path found (${cut.length})`));
    if (!plan.reachesTarget) {
      children.push(el('p', { className: 'hint' }, 'No path to an administrator was found within the bounds, so nothing needs cutting.'));
    }
    cut.forEach((item, index) => {
      const title = item.kind === 'OWN_ADMIN_RIGHTS' ? `${shortName(item.from)} is an administrator itself`
        : `${shortName(item.from)} → ${shortName(item.to)}`;
      const show = el('button', { type: 'button', 'data-cut': String(index) }, 'Show in the graph');
      show.addEventListener('click', () => selectCutItem(item));
      children.push(el('section', { className: 'revoke-item', 'data-kind': item.kind },
        el('h4', null, title),
        el('p', null, `${item.kind}${item.technique ? ` ${item.technique}` : ''}${item.conditional ? ' (conditional)' : ''} `, show),
        el('p', { className: 'change' }, item.change),
        el('details', null, el('summary', null, `Evidence (${(item.evidence || []).length})`),
          ...(item.evidence || []).map((evidence) => renderEvidence(evidence)))));
    });

    const check = plan.check || {};
    const bounds = plan.bounded || {};
    children.push(el('h3', null, 'Check and bounds'), definitionList([
      ['Without the cut, a searched path remains', !check.cutVerified],
      ['Checked over the whole graph', check.wholeGraphChecked === true],
      ['A longer path still reaches', check.remainingTarget || null],
      ['Principals searched', bounds.principalsSearched],
      ['Maximum depth', bounds.maxDepth],
      ['Truncated', bounds.truncated === true],
      ['Reason', bounds.reason || null],
    ]));
    if (plan.note) {
      children.push(el('p', { className: 'hint', id: 'revoke-note' }, plan.note));
    }
    setDetails('revoke-plan', plan.from, ...children);
  }

  /** Selects the edge or node of a plan item, so the side panel shows its details. */
  function selectCutItem(item) {
    const cy = page.cy;
    let marked = item.kind === 'OWN_ADMIN_RIGHTS' ? cy.getElementById(item.from)
      : cy.edges('.cut').filter((edge) => edge.source().id() === item.from && edge.target().id() === item.to);
    if (marked.empty()) {
      // The step may be inside a summary node, whose edge carries the mark.
      marked = cy.edges('.cut').filter((edge) => state.summaries.has(edge.data('summary'))
        && state.summaries.get(edge.data('summary')).edges.some((step) => step.data.source === item.from && step.data.target === item.to));
    }
    if (marked.nonempty()) {
      marked.first().emit('tap');
    } else {
      showError({ message: `The step ${shortName(item.from)} → ${shortName(item.to)} is not drawn: the blast radius left it out past its edge budget.` });
    }
  }

  // ---------------------------------------------------------------- export

  /** Returns a file name for what is drawn: the chosen principal's short name, or the view. */
  function exportName(extension) {
    const subject = state.paths ? `${shortName(state.paths.id)}-${state.paths.mode}`
      : state.root ? `${shortName(state.root)}-blast-radius` : (page.query ? page.query.name : 'nhigraph');
    return `${subject.replace(/[^A-Za-z0-9._-]+/g, '_')}.${extension}`;
  }

  /** Offers href as a download; the anchor never enters the document. */
  function download(href, name) {
    const link = document.createElement('a');
    link.href = href;
    link.download = name;
    link.click();
  }

  function exportPng() {
    if (!page.cy || page.cy.elements().empty()) {
      showError({ message: 'Nothing is drawn yet: choose a principal or run a saved query first.' });
      return;
    }
    const dataUrl = page.cy.png({ full: true, bg: '#ffffff', scale: 2 });
    const name = exportName('png');
    download(dataUrl, name);
    page.lastExport = { kind: 'png', name, bytes: Math.floor((dataUrl.length - dataUrl.indexOf(',') - 1) * 3 / 4) };
  }

  /** Saves the API response behind the drawing, so the evidence of every edge travels with it. */
  function exportJson() {
    const answer = state.paths ? state.paths.answer : state.blastRadius;
    if (!answer) {
      showError({ message: 'There is no blast radius or path response to save: choose a principal first.' });
      return;
    }
    const text = JSON.stringify(answer, null, 2);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const name = exportName('json');
    download(url, name);
    // The browser has started the download once click() returns, so the URL can go.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    page.lastExport = { kind: 'json', name, bytes: text.length };
  }

  // ---------------------------------------------------------------- start

  function start() {
    takeTokenFromAddress();
    if (typeof window.cytoscape !== 'function') {
      showError({ message: `Cytoscape.js did not load from ${CYTOSCAPE_PATH}, so the graph cannot be drawn. Check that the server serves its WebJar.` });
      setStatus('error', 'The graph library is missing.');
      page.ready = true;
      return;
    }
    page.cy = createGraph();

    dom.search.addEventListener('input', onSearchInput);
    dom.search.addEventListener('keydown', onSearchKeyDown);
    dom.depth.addEventListener('change', onDepthChange);
    dom.showServices.addEventListener('change', onShowServicesChange);
    dom.fit.addEventListener('click', fitGraph);
    dom.errorClose.addEventListener('click', hideError);
    dom.queriesToggle.addEventListener('click', toggleQueries);
    dom.savedQuery.addEventListener('change', renderSavedQueryForm);
    dom.savedQueryRun.addEventListener('click', runSavedQuery);
    dom.pathsToAdmin.addEventListener('click', () => loadPaths('to-admin'));
    dom.whoCanReach.addEventListener('click', () => loadPaths('reverse'));
    dom.findingsToggle.addEventListener('click', showFindings);
    dom.exportPng.addEventListener('click', exportPng);
    for (const filter of [dom.edgeFilter, dom.accountFilter, dom.levelFilter, dom.techniqueFilter]) {
      filter.addEventListener('change', applyFilters);
    }
    dom.revokePlan.addEventListener('click', loadRevokePlan);
    dom.exportJson.addEventListener('click', exportJson);
    document.addEventListener('click', (event) => {
      if (!dom.searchBox.contains(event.target)) {
        hideResults();
      }
    });
    // A link with #token= pasted into an open tab changes only the fragment, which reloads nothing.
    window.addEventListener('hashchange', () => {
      if (new URLSearchParams(window.location.hash.slice(1)).has('token')) {
        takeTokenFromAddress();
        applyAddress();
      }
    });
    window.addEventListener('popstate', () => {
      dom.search.value = '';
      applyAddress();
    });

    showHealth();
    applyAddress();
  }

  start();
}());
