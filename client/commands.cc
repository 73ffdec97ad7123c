#include "client/commands.h"

#include <unistd.h>

#include <algorithm>

#include "base/duration.h"
#include "client/pages.h"
#include "client/time_zone.h"

namespace accord::client {

namespace {

using proto::Request;

Error Usage(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

Result<Request> CheckDuration(const std::string& text, Request request) {
  if (!text.empty()) {
    Result<std::chrono::seconds> d = ParseDuration(text);
    if (!d.ok()) return d.error();
  }
  return request;
}

Result<Request> BuildCheckIn(const Args& a) {
  Request r;
  auto* c = r.mutable_check_in();
  c->set_agreement(a.agreement);
  c->set_note(a.note);
  // On a terminal without flags the client asks, once it can offer what is due (prompts.h).
  if (a.feeling == 0 && a.note.empty() && a.agreement.empty() && isatty(STDIN_FILENO)) return r;
  if (a.feeling < 1 || a.feeling > 5) {
    return Usage("--feeling must be a number from 1 to 5 (how things are, 1 hard .. 5 great)");
  }
  c->set_feeling(static_cast<uint32_t>(a.feeling));
  return r;
}

Result<Request> BuildAction(proto::AgreementActionRequest::Action action, const Args& a) {
  Request r;
  auto* x = r.mutable_agreement_action();
  x->set_action(action);
  x->set_agreement(a.id);
  x->set_note(a.note);
  return r;
}

// --limit N / --all for a long list (client/pages.h); a screenful without either.
void Paged(CLI::App& c, Args& a) {
  auto* all = c.add_flag("--all", a.all, "every one, oldest last");
  c.add_option("--limit", a.limit,
               "at most N, newest first (default " + std::to_string(kScreenfulItems) + ")")
      ->check(CLI::Range(1, 1000000))
      ->excludes(all);
}

void SetPage(const Args& a, proto::PageRequest& page) {
  page.set_limit(a.all ? 0 : (a.limit > 0 ? static_cast<uint32_t>(a.limit) : kScreenfulItems));
}

Result<Request> BuildList(proto::ListNotesRequest::Kind kind, const Args& a) {
  Request r;
  r.mutable_list_notes()->set_kind(kind);
  SetPage(a, *r.mutable_list_notes()->mutable_page());
  return r;
}

void Text(CLI::App& c, Args& a, const char* what) {
  c.add_option("TEXT", a.text, what)->required();
}
void Id(CLI::App& c, Args& a) {
  c.add_option("ID", a.id, "agreement id (a unique prefix of at least 4 hex digits)")->required();
}
void Note(CLI::App& c, Args& a) { c.add_option("--note", a.note, "a short note"); }
void Terms(CLI::App& c, Args& a) {
  c.add_option("--schedule", a.schedule,
               "designated space times in your time zone (TZ, else the system's), e.g. "
               "'tue,thu 19:00-21:00' or 'sat 10:00-18:00 every 2w'");
  c.add_option("--review-every", a.review_every, "how often to review it, e.g. 2w, 30d");
}

std::vector<CommandRow> MakeTable() {
  std::vector<CommandRow> t;
  auto row = [&t](std::string path, std::string usage, std::string help,
                  std::function<void(CLI::App&, Args&)> define,
                  std::function<Result<Request>(const Args&)> build) {
    t.push_back(
        {std::move(path), std::move(usage), std::move(help), std::move(define), std::move(build)});
  };
  auto none = [](CLI::App&, Args&) {};

  row(
      "init", "--name NAME", "create this device's identity",
      [](CLI::App& c, Args& a) {
        c.add_option("--name", a.name, "your name as your partner will see it")->required();
      },
      [](const Args& a) -> Result<Request> {
        if (a.name.empty()) return Usage("--name must not be empty");
        Request r;
        r.mutable_init()->set_name(a.name);
        return r;
      });
  row(
      "invite", "[--no-wait] [--timeout DUR] [--share-history] [--device]",
      "print a pairing code for your partner (or, with --device, for another device of yours), "
      "then wait for them to join",
      [](CLI::App& c, Args& a) {
        c.add_flag("--no-wait", a.no_wait, "return at once; the daemon keeps the invitation open");
        c.add_option("--timeout", a.timeout, "how long the code works (default 10m)");
        c.add_flag("--share-history", a.share_history,
                   "a third person may read everything written so far (without it, a pact of "
                   "two or more lets them see only what is written from their joining on)");
        c.add_flag("--device", a.device,
                   "the code adds another device of yours (your history, keys and reflections "
                   "go to it), not a new person");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_invite()->set_no_wait(a.no_wait);
        r.mutable_invite()->set_share_history(a.share_history);
        r.mutable_invite()->set_device(a.device);
        if (!a.timeout.empty()) {
          Result<std::chrono::seconds> d = ParseDuration(a.timeout);
          if (!d.ok()) return d.error();
          r.mutable_invite()->set_timeout_s(d->count());
        }
        return r;
      });
  row(
      "join", "CODE [--peer HOST:PORT] [--name NAME] [--yes]",
      "join your partner's pact with the code they gave you, or become another device of yours "
      "with a code from accord invite --device (found on the home network, or at --peer)",
      [](CLI::App& c, Args& a) {
        c.add_option("CODE", a.code, "the code, like 7-crossbow-meadow-ember")->required();
        c.add_option("--peer", a.peer,
                     "your partner's daemon, as their accord invite or accord status shows it "
                     "(without it, their invitation is found on the home network)");
        c.add_option("--name", a.name,
                     "your name as your partner will see it, or for a device code this device's "
                     "name (creates this device's identity if accord init has not run)");
        c.add_flag("--yes", a.yes,
                   "join without asking what the code does (asked only on a terminal)");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_join()->set_code(a.code);
        r.mutable_join()->set_peer(a.peer);
        r.mutable_join()->set_name(a.name);
        return r;
      });
  row("doctor", "",
      "check this machine's set-up and the path to each partner device; says what fixes each "
      "problem",
      none, [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_doctor();
        return r;
      });
  row("peers", "", "devices, addresses, connected or last seen, entries behind", none,
      [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_peers();
        return r;
      });
  // Several devices per person (SPEC §4): `accord devices`.
  row("devices", "", "my devices: name, key, added when, last seen", none,
      [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_devices();
        return r;
      });
  row("safety-number", "", "show the pact's safety number again, to compare with your partner's",
      none, [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_safety_number();
        return r;
      });
  row("status", "", "who is in the pact, what waits for you, who is in space, what is due", none,
      [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_status();
        return r;
      });
  row(
      "need add", "TEXT", "record a need (\"I need ...\")",
      [](CLI::App& c, Args& a) { Text(c, a, "the need, as an I-statement"); },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_add_need()->set_text(a.text);
        return r;
      });
  row("needs", "[--limit N | --all]", "list needs, newest first", Paged,
      [](const Args& a) { return BuildList(proto::ListNotesRequest::NEEDS, a); });
  row(
      "boundary add", "TEXT [--during-space]", "record a boundary",
      [](CLI::App& c, Args& a) {
        Text(c, a, "the boundary");
        c.add_flag("--during-space", a.during_space, "it applies during space times");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_add_boundary()->set_text(a.text);
        r.mutable_add_boundary()->set_during_space(a.during_space);
        return r;
      });
  row("boundaries", "[--limit N | --all]", "list boundaries, newest first", Paged,
      [](const Args& a) { return BuildList(proto::ListNotesRequest::BOUNDARIES, a); });
  row(
      "propose", "TEXT [--schedule SPEC] [--review-every DUR]", "propose a new agreement",
      [](CLI::App& c, Args& a) {
        Text(c, a, "what you propose");
        Terms(c, a);
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        auto* p = r.mutable_propose();
        p->set_text(a.text);
        p->set_schedule(a.schedule);
        if (!a.schedule.empty()) p->set_time_zone(ClientTimeZone());
        p->set_review_every(a.review_every);
        return CheckDuration(a.review_every, std::move(r));
      });
  row(
      "agreements", "[--pending|--active|--all]", "list agreements (retired ones with --all)",
      [](CLI::App& c, Args& a) {
        auto* p = c.add_flag("--pending", a.pending, "only those waiting for acceptance");
        auto* x = c.add_flag("--active", a.active, "only active ones");
        auto* all = c.add_flag("--all", a.all, "all, including retired ones");
        p->excludes(x)->excludes(all);
        x->excludes(all);
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        auto* l = r.mutable_list_agreements();
        l->set_filter(a.pending  ? proto::ListAgreementsRequest::PENDING
                      : a.active ? proto::ListAgreementsRequest::ACTIVE
                      : a.all    ? proto::ListAgreementsRequest::ALL
                                 : proto::ListAgreementsRequest::CURRENT);
        return r;
      });
  row(
      "show", "ID", "one agreement with its versions, acceptances and check-ins",
      [](CLI::App& c, Args& a) { Id(c, a); },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_show()->set_agreement(a.id);
        return r;
      });
  row(
      "accept", "ID", "accept the latest version of an agreement",
      [](CLI::App& c, Args& a) { Id(c, a); },
      [](const Args& a) { return BuildAction(proto::AgreementActionRequest::ACCEPT, a); });
  row(
      "counter", "ID TEXT [--schedule SPEC] [--review-every DUR]",
      "propose a different version of an agreement",
      [](CLI::App& c, Args& a) {
        Id(c, a);
        Text(c, a, "your version");
        Terms(c, a);
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        auto* p = r.mutable_counter();
        p->set_agreement(a.id);
        p->set_text(a.text);
        p->set_schedule(a.schedule);
        if (!a.schedule.empty()) p->set_time_zone(ClientTimeZone());
        p->set_review_every(a.review_every);
        return CheckDuration(a.review_every, std::move(r));
      });
  row(
      "decline", "ID [--note TEXT]", "decline the latest version of an agreement",
      [](CLI::App& c, Args& a) {
        Id(c, a);
        Note(c, a);
      },
      [](const Args& a) { return BuildAction(proto::AgreementActionRequest::DECLINE, a); });
  row(
      "retire", "ID [--note TEXT]", "end an agreement (anyone may, on their own)",
      [](CLI::App& c, Args& a) {
        Id(c, a);
        Note(c, a);
      },
      [](const Args& a) { return BuildAction(proto::AgreementActionRequest::RETIRE, a); });
  row(
      "ask", "DUR [MESSAGE]", "ask for space now, for this long",
      [](CLI::App& c, Args& a) {
        c.add_option("DUR", a.duration, "how long, e.g. 90m, 2h, 1h30m")->required();
        c.add_option("MESSAGE", a.text, "a message for your partner");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_ask_space()->set_duration(a.duration);
        r.mutable_ask_space()->set_message(a.text);
        return CheckDuration(a.duration, std::move(r));
      });
  row(
      "ack", "ID [--note TEXT]", "acknowledge a space request",
      [](CLI::App& c, Args& a) {
        c.add_option("ID", a.id, "the space request's id")->required();
        Note(c, a);
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_ack_space()->set_request(a.id);
        r.mutable_ack_space()->set_note(a.note);
        return r;
      });
  row("back", "", "end your own space early", none, [](const Args&) -> Result<Request> {
    Request r;
    r.mutable_back();
    return r;
  });
  row("space", "", "who is in space now, and the scheduled space times ahead", none,
      [](const Args&) -> Result<Request> {
        Request r;
        r.mutable_space();
        return r;
      });
  row(
      "checkin", "[--agreement ID] --feeling 1..5 [--note TEXT]",
      "record a check-in (asks interactively on a terminal without flags)",
      [](CLI::App& c, Args& a) {
        c.add_option("--agreement", a.agreement, "the agreement it is about");
        c.add_option("--feeling", a.feeling, "1 (hard) .. 5 (great)");
        Note(c, a);
      },
      BuildCheckIn);
  row(
      "checkins", "[--agreement ID] [--limit N | --all]", "list check-ins, newest first",
      [](CLI::App& c, Args& a) {
        c.add_option("--agreement", a.agreement, "only about this");
        Paged(c, a);
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_list_check_ins()->set_agreement(a.agreement);
        SetPage(a, *r.mutable_list_check_ins()->mutable_page());
        return r;
      });
  row("due", "", "reviews and check-ins that are due", none, [](const Args&) -> Result<Request> {
    Request r;
    r.mutable_due();
    return r;
  });
  row(
      "appreciate", "TEXT", "a note of thanks or reassurance",
      [](CLI::App& c, Args& a) { Text(c, a, "what you appreciate"); },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_appreciate()->set_text(a.text);
        return r;
      });
  row("appreciations", "[--limit N | --all]", "list appreciations, newest first", Paged,
      [](const Args& a) { return BuildList(proto::ListNotesRequest::APPRECIATIONS, a); });
  row(
      "retract", "ID [--note TEXT]",
      "withdraw one of your needs, boundaries, appreciations, check-ins or open space requests "
      "(the history keeps it, shown as withdrawn)",
      [](CLI::App& c, Args& a) {
        c.add_option("ID", a.id, "its id (a unique prefix of at least 4 hex digits)")->required();
        c.add_option("--note", a.note, "why, shown to your partner with it");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_retract()->set_id(a.id);
        r.mutable_retract()->set_note(a.note);
        return r;
      });
  row(
      "reflect", "TEXT", "a private note that never leaves your devices",
      [](CLI::App& c, Args& a) { Text(c, a, "the note"); },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_reflect()->set_text(a.text);
        return r;
      });
  row("reflections", "[--limit N | --all]", "list your private notes, newest first", Paged,
      [](const Args& a) { return BuildList(proto::ListNotesRequest::REFLECTIONS, a); });
  row(
      "forget", "ID", "erase one of your reflections on all your devices",
      [](CLI::App& c, Args& a) { c.add_option("ID", a.id, "the reflection's id")->required(); },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_forget()->set_id(a.id);
        return r;
      });
  row(
      "leave", "[--yes]",
      "leave the pact for good; you keep a read-only copy (asks first on a terminal)",
      [](CLI::App& c, Args& a) { c.add_flag("--yes", a.yes, "leave without asking"); },
      [](const Args& a) -> Result<Request> {
        if (!a.yes && !isatty(STDIN_FILENO)) {
          return Usage("leaving cannot be undone; pass --yes to leave without a question");
        }
        Request r;
        r.mutable_leave();
        return r;  // on a terminal without --yes the question comes once the daemon answers
      });
  row(
      "device remove", "ID", "remove one of your other devices from the pact",
      [](CLI::App& c, Args& a) {
        c.add_option("ID", a.id, "the device's id (accord devices)")->required();
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_remove_device()->set_device(a.id);
        return r;
      });
  row(
      "log", "[--verify] [--limit N]", "every entry: author, seq, kind, time, signature state",
      [](CLI::App& c, Args& a) {
        c.add_flag("--verify", a.verify, "check every signature again");
        c.add_option("--limit", a.limit, "only the newest N entries, newest first")
            ->check(CLI::Range(1, 1000000));
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        r.mutable_log()->set_verify(a.verify);
        r.mutable_log()->set_limit(static_cast<uint32_t>(a.limit));
        return r;
      });
  row(
      "export", "--format json|md|ics [--out FILE]", "all of your data",
      [](CLI::App& c, Args& a) {
        c.add_option("--format", a.format, "json, md or ics")
            ->check(CLI::IsMember({"json", "md", "ics"}));
        c.add_option("--out", a.out, "write to FILE instead of stdout")->type_name("FILE");
      },
      [](const Args& a) -> Result<Request> {
        Request r;
        auto* e = r.mutable_export_();
        e->set_format(a.format == "md"    ? proto::ExportRequest::MD
                      : a.format == "ics" ? proto::ExportRequest::ICS
                                          : proto::ExportRequest::JSON);
        return r;
      });
  row("watch", "", "show events as they happen", none, [](const Args&) -> Result<Request> {
    Request r;
    r.mutable_watch();
    return r;
  });
  return t;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

void DefineGlobalOptions(CLI::App& app, GlobalArgs& g, const std::string& version_line) {
  app.add_option("--home", g.home, "daemon instance directory (default: $ACCORD_HOME or XDG)")
      ->type_name("DIR");
  app.add_flag("--json", g.json, "print one JSON document (or one object per line)");
  app.set_version_flag("--version", version_line, "print the version and exit");
}

const std::vector<CommandRow>& CommandTable() {
  static const std::vector<CommandRow> table = MakeTable();
  return table;
}

std::vector<std::string> SuggestCommands(std::string_view typed) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const CommandRow& row : CommandTable()) {
    std::string first = row.path.substr(0, row.path.find(' '));
    size_t d = EditDistance(typed, first);
    if (d <= std::max<size_t>(1, first.size() / 3)) scored.emplace_back(d, first);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, name] : scored)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  return out;
}

}  // namespace accord::client
