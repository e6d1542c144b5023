-- wrk script: GET an account read, authenticated with BALLAST_KEY: BALLAST_ROUTE (margin or status, default margin)
-- of one account (BALLAST_ACCOUNT), or with BALLAST_ACCOUNTS=N of a random account among acct-00001 … acct-N (so
-- the per-sequence answer cache rarely helps).
function init(args)
  key = os.getenv("BALLAST_KEY")
  account = os.getenv("BALLAST_ACCOUNT") or "acct-00010"
  route = os.getenv("BALLAST_ROUTE") or "margin"
  spread = tonumber(os.getenv("BALLAST_ACCOUNTS") or "0")
  math.randomseed(os.time() + (id or 0))
end

function request()
  local target = account
  if spread > 0 then target = string.format("acct-%05d", math.random(1, spread)) end
  return wrk.format("GET", "/v1/accounts/" .. target .. "/" .. route, {["Authorization"] = "Bearer " .. key})
end
