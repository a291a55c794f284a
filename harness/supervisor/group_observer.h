// Told of the process groups of a run's targets: when each starts serving, and when stampede
// takes it back (to take evidence from it, or once it has exited). Schedule perturbation
// (perturb/freezer.h) acts on groups between the two calls only.
#pragma once

#include <string>

namespace stampede {

class GroupObserver {
 public:
  virtual ~GroupObserver() = default;
  // Target `name`, process group `pgid`, is ready.
  virtual void Started(const std::string& name, int pgid) = 0;
  // From now on the group is stampede's alone: it must be running when this returns.
  virtual void Released(int pgid) = 0;
};

}  // namespace stampede
