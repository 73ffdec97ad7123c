#include "bench/history_report.h"

#include <cstdio>

#include "base/text.h"

namespace accord::bench {
namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

std::string Pad(std::string s, size_t width, bool left = false) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

std::string BoundText(const Bound& b, const std::string& unit, uint64_t base) {
  std::string text;
  if (b.max_ratio > 0) text = "<= " + Format("%g", b.max_ratio) + "x " + GroupedThousands(base);
  if (b.max_value) {
    if (!text.empty()) text += " and ";
    text += "<= " + Format("%g", *b.max_value) + " " + unit;
  }
  return text;
}

const Bound* BoundAt(const Metric& m, uint64_t size) {
  for (const Bound& b : m.bounds)
    if (b.at_entries == size) return &b;
  return nullptr;
}

}  // namespace

Verdicts PrintMetrics(std::ostream& out, const std::vector<uint64_t>& sizes,
                      const std::vector<Metric>& metrics) {
  Verdicts verdicts;
  if (sizes.empty()) return verdicts;
  const std::string base_name = "/ " + GroupedThousands(sizes.front());
  for (const Metric& m : metrics) {
    out << "\n" << m.name << " (" << m.unit << ")\n";
    out << "  " << Pad("entries", 10, true) << Pad("value", 11) << Pad(base_name, 12) << "   "
        << Pad("bound", 32, true) << "verdict\n";
    const Figure& base = m.by_size.front();
    for (size_t i = 0; i < sizes.size() && i < m.by_size.size(); ++i) {
      const Figure& f = m.by_size[i];
      std::string value = "-";
      if (f.value) value = Format(*f.value < 10 ? "%.3f" : "%.1f", *f.value);
      std::string ratio = "-";
      if (f.value && base.value && *base.value > 0) ratio = Format("%.2f", *f.value / *base.value);
      std::string bound_text, verdict;
      if (const Bound* b = BoundAt(m, sizes[i])) {
        bound_text = BoundText(*b, m.unit, sizes.front());
        bool pass = f.value.has_value();
        if (pass && b->max_ratio > 0)
          pass = base.value && *base.value > 0 && *f.value / *base.value <= b->max_ratio;
        if (pass && b->max_value) pass = *f.value <= *b->max_value;
        verdict = pass ? "PASS" : "FAIL";
        ++(pass ? verdicts.pass : verdicts.fail);
      }
      out << "  " << Pad(GroupedThousands(sizes[i]), 10, true) << Pad(value, 11) << Pad(ratio, 12)
          << "   " << Pad(bound_text, 32, true) << Pad(verdict, 7, true);
      if (!f.error.empty()) out << " error: " << f.error;
      if (!f.note.empty()) out << " (" << f.note << ")";
      out << "\n";
    }
    for (const Bound& b : m.bounds) {
      bool made = false;
      for (uint64_t s : sizes) made = made || s == b.at_entries;
      if (!made) {
        out << "  (bound at " << GroupedThousands(b.at_entries)
            << " entries: not made in this run)\n";
        ++verdicts.not_run;
      }
    }
  }
  return verdicts;
}

}  // namespace accord::bench
