-- The requests of one wrk run, chosen by environment variables (set by bench/lib/load.mjs):
--   BENCH_METHOD        GET (default), POST…
--   BENCH_BODY_FILE     a file whose bytes are every request's body
--   BENCH_CONTENT_TYPE  the Content-Type header
--   BENCH_TOKENS_FILE   one token a line; requests cycle through them in order
--   BENCH_TOKEN_HEADER  Authorization (default: "Bearer <token>") or another header name
-- With fewer than two tokens the request never changes and wrk builds it once.

local method = os.getenv("BENCH_METHOD") or "GET"
local content_type = os.getenv("BENCH_CONTENT_TYPE")
local header_name = os.getenv("BENCH_TOKEN_HEADER") or "Authorization"
local prefix = ""
if header_name == "Authorization" then prefix = "Bearer " end

local body = nil
local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  body = f:read("*a")
  f:close()
end

local tokens = {}
local tokens_file = os.getenv("BENCH_TOKENS_FILE")
if tokens_file and tokens_file ~= "" then
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
end

local headers = {}
if content_type and content_type ~= "" then headers["Content-Type"] = content_type end

if #tokens <= 1 then
  if #tokens == 1 then headers[header_name] = prefix .. tokens[1] end
  wrk.method = method
  wrk.body = body
  for name, value in pairs(headers) do wrk.headers[name] = value end
else
  local index = 0
  request = function()
    index = index % #tokens + 1
    local these = {}
    for name, value in pairs(headers) do these[name] = value end
    these[header_name] = prefix .. tokens[index]
    return wrk.format(method, nil, these, body)
  end
end
