-- wrk script: GET the margin report of one account (BALLAST_ACCOUNT), authenticated with BALLAST_KEY.
function init(args)
  key = os.getenv("BALLAST_KEY")
  account = os.getenv("BALLAST_ACCOUNT") or "acct-00002"
end

function request()
  return wrk.format("GET", "/v1/accounts/" .. account .. "/margin", {["Authorization"] = "Bearer " .. key})
end
