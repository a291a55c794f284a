#include "admin.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "client_registry.h"

namespace resp {
namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void AppendBulk(const std::string& value, std::string* out) {
  out->append("$").append(std::to_string(value.size())).append("\r\n");
  out->append(value).append("\r\n");
}

void ExecuteClient(const std::vector<std::string>& args, ClientRegistry& registry,
                   std::string* out) {
  if (args.size() == 2 && Lowercase(args[1]) == "list") {
    AppendBulk(registry.ClientList(), out);
    return;
  }
  out->append("-ERR unknown subcommand or wrong number of arguments for 'client'. Try CLIENT ");
  out->append("LIST.\r\n");
}

void ExecuteInfo(const std::vector<std::string>& args, ClientRegistry& registry, std::string* out) {
  if (args.size() > 2) {
    out->append("-ERR wrong number of arguments for 'info' command\r\n");
    return;
  }
  std::string section = args.size() == 2 ? Lowercase(args[1]) : "default";
  if (section != "clients" && section != "default" && section != "all" && section != "everything") {
    AppendBulk("", out);
    return;
  }
  AppendBulk(
      "# Clients\r\nconnected_clients:" + std::to_string(registry.ConnectedClients()) + "\r\n",
      out);
}

}  // namespace

bool IsAdminCommand(const std::vector<std::string>& args) {
  std::string name = Lowercase(args[0]);
  return name == "client" || name == "info";
}

void ExecuteAdmin(const std::vector<std::string>& args, ClientRegistry& registry,
                  std::string* out) {
  if (Lowercase(args[0]) == "client") {
    ExecuteClient(args, registry, out);
  } else {
    ExecuteInfo(args, registry, out);
  }
}

}  // namespace resp

AdminThread::~AdminThread() {
  Stop();
  if (event_fd_ >= 0) close(event_fd_);
}

bool AdminThread::Start() {
  event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) return false;
  thread_ = std::thread([this] { Run(); });
  return true;
}

void AdminThread::Submit(uint64_t key, std::vector<std::string> args) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(Job{key, std::move(args)});
  }
  wake_.notify_one();
}

std::vector<AdminThread::Reply> AdminThread::TakeReplies() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = read(event_fd_, &count, sizeof count);  // Drains the eventfd.
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(done_, {});
}

void AdminThread::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void AdminThread::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || !jobs_.empty(); });
    if (quit_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    std::string reply;
    resp::ExecuteAdmin(job.args, *registry_, &reply);
    lock.lock();
    done_.push_back(Reply{job.key, std::move(reply)});
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(event_fd_, &one, sizeof one);
  }
}
