// Counting what arrives on one published stream for the SFU's receiver reports
// (RFC 3550 appendix A): the extended highest sequence number with a new
// source's probation and the resynchronisation of a source that restarted its
// numbers (A.1), and the interarrival jitter (A.8). The counts live in
// ReceiveStatistics (participant.h); this is a plain function on them, for the
// media worker's thread, allocating nothing.
#pragma once

#include <chrono>
#include <cstdint>

#include "media/participant.h"
#include "media/rtp_packet.h"

namespace egovbox::media {

// One packet of the stream arrived at `now`. A new stream counts from its second
// packet in sequence (A.1's MIN_SEQUENTIAL = 2: the first is in probation and not
// counted); a jump forward of 3000 or more (MAX_DROPOUT) or back of more than 100
// (MAX_MISORDER) is not counted unless the next packet follows it, which restarts
// the counts there. The jitter (kept times 16, A.8) is updated from packets that
// advance the highest number only, so a retransmission does not count as late;
// `clock_rate` converts `now` into timestamp units.
void CountReceived(ReceiveStatistics& statistics, const RtpPacket& packet, std::uint32_t clock_rate,
                   std::chrono::steady_clock::time_point now) noexcept;

}  // namespace egovbox::media
