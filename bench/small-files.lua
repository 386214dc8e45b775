-- wrk: one small file per request, as tus creation-with-upload, each with a name of its own.
-- TOKEN (a bearer token), PARENT (the folder's id) and SIZE (bytes) come from the environment;
-- with NAMES=N, every thread cycles through the same N names: new versions of the same files.
-- Every body is different (it starts with the file's name and request number), so every
-- upload stores new content: nothing is saved by deduplication.
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64(s)
  return ((s:gsub(".", function(c)
    local r, b = "", c:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#s % 3 + 1])
end

-- Each thread's number (a global: `thread:set` sets globals, which a local would hide).
local made = 0
function setup(thread)
  made = made + 1
  thread:set("id", made)
end

local parent, filler, n, headers, names, ext
function init()
  names = tonumber(os.getenv("NAMES") or "0")
  ext = os.getenv("EXT") or "txt"
  parent = b64(os.getenv("PARENT"))
  filler = string.rep("x", tonumber(os.getenv("SIZE") or "4096"))
  n = 0
  headers = {
    ["authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["tus-resumable"] = "1.0.0",
    ["upload-length"] = tostring(#filler),
    ["content-type"] = "application/offset+octet-stream",
  }
end

function request()
  n = n + 1
  local name = names > 0 and ("v" .. (n * 7 + id) % names .. "." .. ext) or ("t" .. id .. "-" .. n .. "." .. ext)
  headers["upload-metadata"] = "filename " .. b64(name) .. ",parent_id " .. parent
  local stamp = id .. "-" .. n .. " "
  local body = stamp .. filler:sub(#stamp + 1)
  return wrk.format("POST", "/api/v1/uploads", headers, body)
end
