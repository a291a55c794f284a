#include "run/resolve_target.h"

namespace stampede {

Result<ResolvedTarget> ResolveTarget(const TargetSpec& spec, int port, PlaceholderValues values) {
  values["port"] = std::to_string(port);
  ResolvedTarget target{spec.name, {}, {}, port, spec.ready, spec.stop};
  target.log_cap_bytes = spec.log_limit_mb << 20;
  for (const auto& arg : spec.command) {
    auto expanded = ExpandPlaceholders(arg, values, false);
    if (!expanded.ok()) return expanded.error();
    target.argv.push_back(expanded.value());
  }
  for (const auto& [key, value] : spec.env) {
    auto expanded = ExpandPlaceholders(value, values, false);
    if (!expanded.ok()) return expanded.error();
    target.env[key] = expanded.value();
  }
  return target;
}

}  // namespace stampede
