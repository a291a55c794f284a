#include "timeline/resolve_actions.h"

#include "timeline/one_shot_request.h"

namespace stampede {
namespace {

Result<ResolvedAction> ResolveAction(const ActionSpec& spec, const PlaceholderValues& values,
                                     const NetworkPolicy& policy) {
  ResolvedAction action{spec, {}, {}, {}};
  auto expand = [&](std::string& text) -> Status {
    auto expanded = ExpandPlaceholders(text, values, false);
    if (!expanded.ok()) return expanded.error();
    text = expanded.value();
    return {};
  };
  if (spec.type == ActionType::kExec) {
    for (auto arg : spec.exec.command) {
      if (auto expanded = expand(arg); !expanded.ok()) return expanded.error();
      action.argv.push_back(std::move(arg));
    }
  }
  if (spec.type != ActionType::kSend) return action;
  auto& send = action.spec.send;
  auto endpoint = ResolveEndpoint(send.address, values, policy);
  if (!endpoint.ok()) return endpoint.error();
  action.endpoint = endpoint.value();
  for (auto* text : {&send.path, &send.body, &send.raw}) {
    if (auto expanded = expand(*text); !expanded.ok()) return expanded.error();
  }
  for (auto& arg : send.resp) {
    if (auto expanded = expand(arg); !expanded.ok()) return expanded.error();
  }
  for (auto& [name, value] : send.headers) {
    if (auto expanded = expand(value); !expanded.ok()) return expanded.error();
  }
  action.request = EncodeSendRequest(send, action.endpoint.display);
  return action;
}

}  // namespace

Result<std::vector<ResolvedAction>> ResolveActions(const std::vector<ActionSpec>& specs,
                                                   const PlaceholderValues& values,
                                                   const NetworkPolicy& policy) {
  std::vector<ResolvedAction> actions;
  for (const auto& spec : specs) {
    auto action = ResolveAction(spec, values, policy);
    if (!action.ok()) {
      return Error{action.error().kind, "action \"" + spec.name + "\": " + action.error().message};
    }
    actions.push_back(std::move(action.value()));
  }
  return actions;
}

}  // namespace stampede
