-- Headless Neovim (0.7.2 API: vim.lsp.start_client + vim.lsp.buf_attach_client) as an LSP client of Cython Lens.
-- Driven by test/nvim/run-nvim.mjs; reads a JSON plan from $CL_NVIM_PLAN and writes what it saw to plan.out:
--   plan = { cmd = {...}, root = dir, out = path, timeout_ms = n,
--            files = { { path, wait_diagnostics = bool } },
--            hovers = { { id, path, line, character } },                 -- 0-based positions
--            code_actions = { { id, path, line, character, apply_title = lua-pattern } },
--            requests = { { id, method, path, line, character, params = {...} } } }   -- raw results
-- Never asserts: the node wrapper does. Always quits (errors are recorded in the output).
local plan = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('CL_NVIM_PLAN')), '\n'))
local result = { nvim = string.format('%d.%d.%d', vim.version().major, vim.version().minor, vim.version().patch),
  errors = {}, unsupported = {}, files = {}, hovers = {}, code_actions = {}, requests = {}, server_exit = vim.NIL }

local function write_result()
  local f = assert(io.open(plan.out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'cython-lens',
    cmd = plan.cmd,
    root_dir = plan.root,
    settings = plan.settings, -- answered to workspace/configuration by Neovim's default handler
    on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client returned nil') end
  local bufs = {}
  for _, f in ipairs(plan.files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(f.path))
    local bufnr = vim.api.nvim_get_current_buf()
    -- Keep Neovim's own filetype (pyrex for .pyx/.pxd; .pxi gets none), as users get it: it becomes the languageId.
    vim.lsp.buf_attach_client(bufnr, client_id)
    bufs[f.path] = bufnr
  end
  -- Wait until the server answered initialize, then until every file that should have diagnostics has some.
  result.initialized = vim.wait(plan.timeout_ms, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c ~= nil and c.initialized == true
  end, 20) and true or false
  local client = vim.lsp.get_client_by_id(client_id)
  if not result.initialized then error('the server did not initialize within ' .. plan.timeout_ms .. ' ms') end
  result.capabilities = client and client.server_capabilities or vim.NIL
  local t0 = vim.loop.hrtime()
  vim.wait(plan.timeout_ms, function()
    for _, f in ipairs(plan.files) do
      if f.wait_diagnostics and #vim.diagnostic.get(bufs[f.path]) == 0 then return false end
    end
    return true
  end, 20)
  result.diagnostics_ms = math.floor((vim.loop.hrtime() - t0) / 1e6)

  local function hover_text(contents)
    if type(contents) == 'string' then return contents end
    if contents.value then return contents.value end -- MarkupContent / MarkedString
    local parts = {}
    for _, c in ipairs(contents) do table.insert(parts, type(c) == 'string' and c or c.value) end
    return table.concat(parts, '\n')
  end

  local caps = client.server_capabilities or {}
  for _, h in ipairs(plan.hovers or {}) do
    local bufnr = bufs[h.path]
    if not caps.hoverProvider then
      result.unsupported[h.id] = 'the server does not offer hover'
      goto next_hover
    end
    do
    local resp, e = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
      { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = h.line, character = h.character } }, 5000)
    local text = vim.NIL
    for _, r in pairs(resp or {}) do
      if r.err then table.insert(result.errors, 'hover ' .. h.id .. ': ' .. vim.inspect(r.err)) end
      if r.result and r.result.contents then text = hover_text(r.result.contents) end
    end
    if e then table.insert(result.errors, 'hover ' .. h.id .. ': ' .. tostring(e)) end
    result.hovers[h.id] = text
    end
    ::next_hover::
  end

  -- position requests (definition, references...): the raw result of each
  for _, r in ipairs(plan.requests or {}) do
    local bufnr = bufs[r.path]
    local params = vim.tbl_extend('force', { textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = r.line, character = r.character } }, r.params or {})
    local resp, e = vim.lsp.buf_request_sync(bufnr, r.method, params, 10000)
    if e then table.insert(result.errors, r.method .. ' ' .. r.id .. ': ' .. tostring(e)) end
    for _, x in pairs(resp or {}) do
      if x.err then table.insert(result.errors, r.method .. ' ' .. r.id .. ': ' .. vim.inspect(x.err)) end
      result.requests[r.id] = x.result == nil and vim.NIL or x.result
    end
  end

  for _, a in ipairs(plan.code_actions or {}) do
    local bufnr = bufs[a.path]
    if not caps.codeActionProvider then
      result.unsupported[a.id] = 'the server does not offer code actions'
      goto next_action
    end
    do
    local diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, a.line)
    local resp, e = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = { start = { line = a.line, character = a.character }, ['end'] = { line = a.line, character = a.character } },
      context = { diagnostics = diags },
    }, 5000)
    if e then table.insert(result.errors, 'codeAction ' .. a.id .. ': ' .. tostring(e)) end
    local titles, applied = {}, false
    for _, r in pairs(resp or {}) do
      for _, action in ipairs(r.result or {}) do
        table.insert(titles, action.title)
        if not applied and a.apply_title and action.title:find(a.apply_title) then
          if not action.edit and not action.command and client.server_capabilities.codeActionProvider
            and type(client.server_capabilities.codeActionProvider) == 'table'
            and client.server_capabilities.codeActionProvider.resolveProvider then
            local res = vim.lsp.buf_request_sync(bufnr, 'codeAction/resolve', action, 5000)
            for _, rr in pairs(res or {}) do if rr.result then action = rr.result end end
          end
          if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding) end
          local cmd = action.command
          if type(cmd) == 'table' then
            vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, 5000)
          end
          applied = true
        end
      end
    end
    -- Give the server a moment to re-publish diagnostics for the edited buffer.
    local before = vim.inspect(vim.diagnostic.get(bufnr))
    if applied then vim.wait(3000, function() return vim.inspect(vim.diagnostic.get(bufnr)) ~= before end, 20) end
    result.code_actions[a.id] = { titles = titles, applied = applied,
      lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false) }
    end
    ::next_action::
  end

  for _, f in ipairs(plan.files) do
    local ds = {}
    for _, d in ipairs(vim.diagnostic.get(bufs[f.path])) do
      table.insert(ds, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
        message = d.message, source = d.source, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
    result.files[f.path] = { diagnostics = ds }
  end
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return result.server_exit ~= vim.NIL end, 20)
end)
if not ok then table.insert(result.errors, tostring(err)) end
write_result()
vim.cmd('qall!')
