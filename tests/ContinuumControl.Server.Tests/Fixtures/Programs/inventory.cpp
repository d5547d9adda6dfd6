// An ordinary C++ program: std::map, std::vector, std::string, <algorithm> and iostreams.
#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

struct Item {
  std::string name;
  int count;
  double price;
};

int main(int argc, char **argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::vector<std::string> names{"bolt", "nut", "washer", "gear", "spring", "cable", "valve", "hinge"};
  std::map<std::string, Item> stock;
  unsigned state = 7;
  for (int i = 0; i < rounds; i++) {
    state = state * 1103515245u + 12345u;
    const auto &name = names[(state >> 16) % names.size()];
    auto &item = stock.try_emplace(name, Item{name, 0, 0.0}).first->second;
    item.count += static_cast<int>((state >> 8) % 17) - 5;
    item.price = 0.25 + ((state >> 4) % 1000) / 100.0;
  }
  std::vector<Item> sorted;
  for (const auto &[name, item] : stock) sorted.push_back(item);
  std::sort(sorted.begin(), sorted.end(), [](const Item &a, const Item &b) { return a.count != b.count ? a.count > b.count : a.name < b.name; });
  double value = 0;
  for (const auto &item : sorted) {
    std::cout << std::setw(8) << item.name << ' ' << std::setw(6) << item.count << ' ' << std::fixed << std::setprecision(2) << item.price << '\n';
    value += item.count * item.price;
  }
  std::cout << "total value " << std::fixed << std::setprecision(2) << value << std::endl;
  return 0;
}
