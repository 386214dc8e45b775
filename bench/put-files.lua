-- wrk: one small file per request as a plain PUT (for servers without tus, such as dufs),
-- a distinct path per thread and request. SIZE (bytes) comes from the environment.
local made = 0
function setup(thread)
  made = made + 1
  thread:set("id", made)
end

local body, n
function init()
  body = string.rep("x", tonumber(os.getenv("SIZE") or "4096"))
  n = 0
end

function request()
  n = n + 1
  return wrk.format("PUT", "/t" .. id .. "-" .. n .. ".txt", nil, body)
end
