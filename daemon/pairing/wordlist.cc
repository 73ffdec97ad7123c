// accord's own pairing word list: short, concrete, common English words that are easy to say
// aloud and to spell, chosen so that no word is one typo away from another (wordlist_test).
#include "daemon/pairing/wordlist.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace accord::pairing {
namespace {

constexpr std::array<std::string_view, kWordCount> kWords = {
    "acorn",   "album",    "anchor",   "apple",   "arrow",   "atlas",    "autumn",  "badger",
    "bagel",   "bamboo",   "banana",   "banjo",   "banner",  "barrel",   "basket",  "beacon",
    "beaver",  "beetle",   "bicycle",  "birch",   "bison",   "blanket",  "blender", "blossom",
    "bottle",  "boulder",  "bracelet", "bread",   "breeze",  "bridge",   "bubble",  "bucket",
    "butter",  "button",   "cactus",   "camel",   "camera",  "candle",   "canoe",   "canopy",
    "canvas",  "canyon",   "captain",  "cargo",   "carpet",  "cartoon",  "castle",  "cedar",
    "cello",   "chalk",    "cheese",   "cherry",  "chess",   "chimney",  "circus",  "cliff",
    "clock",   "cloud",    "clover",   "cocoa",   "coconut", "comet",    "compass", "cookie",
    "copper",  "coral",    "cowboy",   "crayon",  "cricket", "crossbow", "crown",   "crystal",
    "curtain", "daisy",    "desert",   "diamond", "dolphin", "domino",   "dragon",  "drum",
    "dune",    "eagle",    "ember",    "engine",  "falcon",  "feather",  "fern",    "flute",
    "forest",  "fountain", "frost",    "galaxy",  "garden",  "garlic",   "giant",   "ginger",
    "glacier", "glider",   "globe",    "goose",   "gorilla", "granite",  "grape",   "guitar",
    "hammer",  "hamster",  "harp",     "harvest", "hazel",   "helmet",   "honey",   "horizon",
    "horse",   "igloo",    "island",   "jacket",  "jaguar",  "jasmine",  "journal", "jungle",
    "kayak",   "kettle",   "kite",     "kitten",  "koala",   "ladder",   "lantern", "lava",
    "legend",  "lemon",    "lily",     "lotus",   "magnet",  "mango",    "maple",   "marble",
    "meadow",  "medal",    "melon",    "meteor",  "mirror",  "mist",     "moss",    "mouse",
    "muffin",  "noodle",   "oasis",    "olive",   "onion",   "orange",   "orbit",   "orchid",
    "otter",   "oyster",   "palace",   "pancake", "panda",   "parade",   "parrot",  "pasta",
    "peanut",  "pebble",   "pencil",   "penguin", "pepper",  "piano",    "pickle",  "pine",
    "pizza",   "planet",   "poppy",    "potato",  "pretzel", "pumpkin",  "puppet",  "puzzle",
    "quartz",  "quilt",    "rabbit",   "radar",   "rainbow", "raisin",   "raven",   "ribbon",
    "river",   "robin",    "rocket",   "ruby",    "saddle",  "sailor",   "salad",   "salmon",
    "sandal",  "scarf",    "shadow",   "shark",   "sheep",   "shelf",    "shovel",  "silver",
    "sketch",  "sofa",     "sparrow",  "spider",  "spiral",  "spoon",    "squid",   "statue",
    "storm",   "sugar",    "summer",   "summit",  "sunrise", "tablet",   "teapot",  "thunder",
    "ticket",  "tide",     "tiger",    "toast",   "tomato",  "torch",    "tornado", "toucan",
    "tractor", "treasure", "trophy",   "trout",   "trumpet", "tulip",    "tundra",  "tunnel",
    "turtle",  "twilight", "umbrella", "unicorn", "valley",  "vanilla",  "velvet",  "village",
    "violet",  "violin",   "volcano",  "waffle",  "wagon",   "wallet",   "walnut",  "walrus",
    "whale",   "willow",   "window",   "winter",  "wizard",  "wombat",   "zebra",   "zipper",
};

}  // namespace

std::span<const std::string_view, kWordCount> WordList() { return kWords; }

std::optional<uint8_t> WordIndex(std::string_view word) {
  auto it = std::lower_bound(kWords.begin(), kWords.end(), word);
  if (it == kWords.end() || *it != word) return std::nullopt;
  return static_cast<uint8_t>(it - kWords.begin());
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // One row of the classic dynamic programme; inputs are short (a typed word).
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view ClosestWord(std::string_view typed) {
  std::string_view best = kWords[0];
  size_t best_distance = EditDistance(typed, best);
  for (std::string_view word : kWords) {
    const size_t d = EditDistance(typed, word);
    if (d < best_distance) {
      best = word;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace accord::pairing
