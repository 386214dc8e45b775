-- wrk: a page of a folder's listing, as the drive asks for it. TOKEN, FOLDER and SORT
-- (name, modified or size) come from the environment.
local path, headers
function init()
  path = "/api/v1/nodes/" .. os.getenv("FOLDER") .. "/children?sort=" .. (os.getenv("SORT") or "name")
    .. "&order=asc&limit=100"
  headers = { ["authorization"] = "Bearer " .. os.getenv("TOKEN") }
end

function request()
  return wrk.format("GET", path, headers)
end
