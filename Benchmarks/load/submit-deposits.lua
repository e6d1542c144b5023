-- wrk script: POST /v1/events with one deposit per request, each with a unique id (thread number and counter), so
-- every request is applied (none is a duplicate). The key comes from the BALLAST_KEY environment variable.
local threads = {}
local counter = 0


function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  key = os.getenv("BALLAST_KEY")
  account = os.getenv("BALLAST_ACCOUNT") or "acct-00002"
end

function request()
  counter = counter + 1
  local body = string.format('{"id":"wrk-%d-%d-%d","type":"deposit","account":"%s","asset":"USDC","amount":"1"}',
    os.time(), thread_id, counter, account)
  return wrk.format("POST", "/v1/events", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
