// engine/app/git_revision.h
// A version of a file in a git repository as an input: "REV:PATH" is read as `git show REV:PATH` reads it, when no
// file of that name exists (origin/main:app/orders.topology.json, HEAD~1:./orders.topology.json, :PATH for the
// index).
#pragma once

#include <optional>
#include <string>

namespace streams::app {

struct GitRevisionFile {
  std::string revision;  //!< as given ("origin/main"; "" is the index)
  std::string path;      //!< the path in the repository, from its root ("services/orders/app/orders.topology.json")
  std::string text;      //!< the file's contents at that revision
  //! How the version is named in reports and locations: "REV:PATH" with PATH from the repository's root.
  std::string Name() const { return revision + ":" + path; }
};

//! True when `arg` has the form REV:PATH and no file (or directory) `arg` exists.
bool IsGitRevisionArgument(const std::string& arg);

//! Reads REV:PATH with git in the current directory. Throws InputError naming the argument when git is missing,
//! the directory is not in a git repository, the revision is unknown, or the path is not a file at that revision
//! (with the closest path of that revision when one is near).
GitRevisionFile ReadGitRevision(const std::string& arg);

}  // namespace streams::app
