// agent_assist — a desktop agent-assist loop in C++17 over tactful.hpp: reads customer
// messages from standard input, one per line, and prints what the agent should know and do.
//
// Build with CMake (see CMakeLists.txt beside this file), then:
//   printf 'My card was stolen!\n' | ./agent_assist '{"channel":"chat","customer_name":"Maria"}'
//
// A line may carry the agent's draft reply after a tab ("message<TAB>draft"): the draft is then
// reviewed against the situation (score, findings, suggestions).
#include <iostream>
#include <string>

#include "tactful.hpp"

int main(int argc, char **argv) {
    try {
        if (tactful::abi_version() != TACTFUL_ABI_VERSION) {
            std::cerr << "agent_assist: header and library ABI differ\n";
            return 1;
        }
        const tactful::engine engine; // build once, share everywhere
        const tactful::context ctx = argc > 1 ? tactful::context::from_json(argv[1]) : tactful::context();
        std::string line;
        int failures = 0;
        while (std::getline(std::cin, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find_first_not_of(" \t") == std::string::npos) continue;
            std::string draft;
            if (auto tab = line.find('\t'); tab != std::string::npos) {
                draft = line.substr(tab + 1);
                line.resize(tab);
            }
            try {
                const tactful::assessment a = engine.assess(line, ctx);
                std::cout << "message:   " << line << "\n"
                          << "situation: " << a.category() << ", " << tactful::name(a.emotion())
                          << " (intensity " << a.emotion_intensity() << "), urgency "
                          << tactful::name(a.urgency()) << ", wants " << tactful::name(a.stance())
                          << "\n"
                          << "respond:   " << tactful::name(a.approach()) << ", empathy "
                          << tactful::name(a.empathy()) << "\n";
                std::cout << "flags:    ";
                for (tactful_flag f : a.flags()) std::cout << ' ' << tactful::name(f);
                std::cout << "\nopening:   " << a.opening() << "\n";
                if (!draft.empty()) {
                    const tactful::review r = engine.review_reply_for(a, draft, &ctx);
                    std::cout << "draft:     " << draft << "\n"
                              << "review:    " << r.score() << "/100\n";
                    for (const tactful::finding &f : r.findings())
                        std::cout << "  - " << f.code << ": " << f.message << "\n";
                    for (const std::string &s : r.suggestions()) std::cout << "  > " << s << "\n";
                }
                std::cout << "\n";
            } catch (const tactful::error &e) {
                std::cerr << "agent_assist: " << e.what() << "\n";
                ++failures;
            }
        }
        return failures == 0 ? 0 : 1;
    } catch (const tactful::error &e) {
        std::cerr << "agent_assist: " << e.what() << " (code " << e.code() << ")\n";
        return 1;
    }
}
