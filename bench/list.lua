-- wrk script for the register list benchmark (benches/register.rs runs it).
-- The bearer token comes from the environment, never from this file:
--   ANJIAN_TOKEN=… wrk -t2 -c50 -d15s --latency -s bench/list.lua \
--     'http://127.0.0.1:PORT/api/v1/enterprises?sector=hazardous_chemicals&region=420103&page=1&per_page=20'
-- Only request headers are set: defining response() would make wrk parse every
-- body in Lua and slow the load generator down. wrk itself reports non-2xx replies.

local token = os.getenv("ANJIAN_TOKEN")
if token == nil or token == "" then
  error("ANJIAN_TOKEN is not set: sign in first (POST /api/v1/auth/login) and export the token")
end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
