#include "app/git_revision.h"

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <vector>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "common/text_file.h"

extern char** environ;

namespace streams::app {

namespace {

struct GitResult {
  int status = -1;  //!< exit status; 127 when git could not be started
  std::string out, err;
};

//! Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

//! Runs `git ARGS...` in the current directory and collects what it writes.
GitResult RunGit(const std::vector<std::string>& args) {
  std::array<int, 2> out_pipe{}, err_pipe{};
  if (pipe(out_pipe.data()) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  Fd out_read{out_pipe[0]}, out_write{out_pipe[1]};
  if (pipe(err_pipe.data()) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  Fd err_read{err_pipe[0]}, err_write{err_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  posix_spawn_file_actions_addclose(&actions, out_read.fd);
  posix_spawn_file_actions_addclose(&actions, err_read.fd);
  std::vector<std::string> all{"git"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  GitResult result;
  if (spawned != 0) return result;
  close(out_write.fd);
  out_write.fd = -1;
  close(err_write.fd);
  err_write.fd = -1;

  std::array<pollfd, 2> fds{pollfd{out_read.fd, POLLIN, 0}, pollfd{err_read.fd, POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return result;
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.starts_with("fatal: ")) line.erase(0, 7);
  return line;
}

//! `prefix` + `path` ("./" and "../" resolved) as a path from the repository's root; nullopt when it leaves it.
std::optional<std::string> FromRoot(const std::string& prefix, const std::string& path) {
  std::vector<std::string> parts;
  std::string joined = prefix + path;
  std::stringstream in(joined);
  for (std::string part; std::getline(in, part, '/');) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

bool IsGitRevisionArgument(const std::string& arg) {
  const size_t colon = arg.find(':');
  if (colon == std::string::npos || colon + 1 == arg.size()) return false;
  std::error_code ec;
  return !std::filesystem::exists(arg, ec);
}

GitRevisionFile ReadGitRevision(const std::string& arg) {
  const SourceLocation where{arg};
  const size_t colon = arg.find(':');
  GitRevisionFile file;
  file.revision = arg.substr(0, colon);
  std::string path = arg.substr(colon + 1);

  const GitResult prefix = RunGit({"rev-parse", "--show-prefix"});
  if (prefix.status == -1) {
    throw InputError(where, "no such file, and git (to read it as REVISION:PATH) cannot be started");
  }
  if (prefix.status != 0) {
    throw InputError(where, "no such file, and not in a git repository to read it from as REVISION:PATH");
  }
  if (!file.revision.empty()) {
    const GitResult rev = RunGit({"rev-parse", "--verify", "--quiet", "--end-of-options", file.revision + "^{tree}"});
    if (rev.status != 0) {
      throw InputError(where, "no such file, and \"" + file.revision +
                                  "\" is not a revision of this git repository (a branch, tag or commit)");
    }
  }
  // As in git show: PATH is from the repository's root, unless it starts with ./ or ../ (from this directory).
  const bool relative = path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
  std::string cwd_prefix = prefix.out.substr(0, prefix.out.find('\n'));
  const auto from_root = FromRoot(relative ? cwd_prefix : std::string(), path);
  if (!from_root || from_root->empty()) {
    throw InputError(where, "\"" + path + "\" is not a file in the git repository");
  }
  file.path = *from_root;
  const std::string object = file.revision + ":" + file.path;
  const std::string at = file.revision.empty() ? "in the index" : "at revision " + file.revision;

  const GitResult type = RunGit({"cat-file", "-t", "--end-of-options", object});
  if (type.status == 0 && type.out.substr(0, type.out.find('\n')) != "blob") {
    throw InputError(where, "\"" + file.path + "\" is a directory " + at + ", not a file");
  }
  if (type.status != 0) {
    const GitResult listing = file.revision.empty()
                                  ? RunGit({"ls-files", "--full-name", "--", ":/"})
                                  : RunGit({"ls-tree", "-r", "--name-only", "--full-tree", file.revision});
    std::vector<std::string> paths;
    std::stringstream in(listing.out);
    for (std::string line; std::getline(in, line);) paths.push_back(line);
    std::vector<std::string_view> candidates(paths.begin(), paths.end());
    const std::string near = ClosestName(file.path, candidates);
    throw InputError(where, "no such file, and no file \"" + file.path + "\" " + at + " of the git repository" +
                                (near.empty() ? "" : " (did you mean \"" + file.revision + ":" + near + "\"?)"));
  }
  const GitResult blob = RunGit({"cat-file", "blob", "--end-of-options", object});
  if (blob.status != 0) throw InputError(where, "cannot read it from git: " + FirstLine(blob.err));
  file.text = StripByteOrderMark(blob.out);
  return file;
}

}  // namespace streams::app
