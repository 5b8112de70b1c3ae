-- A new click id on every request, as on links opened from a social network.
local click = 0

request = function()
  click = click + 1
  return wrk.format(nil, wrk.path .. click)
end
