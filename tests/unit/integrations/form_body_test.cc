#include "integrations/form_body.h"

#include <gtest/gtest.h>

namespace egovbox::integrations {
namespace {

TEST(FormBodyTest, DecodesPlusAndPercentEscapes) {
  const auto form = ParseFormBody("grant_type=authorization_code&redirect_uri=https%3A%2F%2Fportal%2Fcb&name=a+b%21");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("grant_type"), "authorization_code");
  EXPECT_EQ(form->Get("redirect_uri"), "https://portal/cb");
  EXPECT_EQ(form->Get("name"), "a b!");
  EXPECT_TRUE(form->repeated.empty());
}

TEST(FormBodyTest, NamesTheFirstRepeatedParameterAndKeepsTheFirstValue) {
  const auto form = ParseFormBody("code=one&state=s&code=two&state=t");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->repeated, "code");
  EXPECT_EQ(form->Get("code"), "one");
}

TEST(FormBodyTest, TreatsEmptyValuesAsAbsent) {
  // RFC 6749 §3.1: sent without a value is the same as not sent.
  const auto form = ParseFormBody("scope=&state&&nonce=n");
  ASSERT_TRUE(form);
  EXPECT_FALSE(form->Get("scope"));
  EXPECT_FALSE(form->Get("state"));
  EXPECT_EQ(form->Get("nonce"), "n");
  EXPECT_TRUE(form->repeated.empty());
}

TEST(FormBodyTest, RefusesMalformedEscapesAndNulBytes) {
  EXPECT_FALSE(ParseFormBody("a=%4"));
  EXPECT_FALSE(ParseFormBody("a=%zz"));
  EXPECT_FALSE(ParseFormBody("a=%00"));
  EXPECT_FALSE(ParseFormBody("%=1"));
}

TEST(FormBodyTest, EncodesWhatIsNotUnreservedAndRoundTrips) {
  const std::string text = "state: a/b?c=d&e +ü";
  const std::string encoded = FormEncode(text);
  EXPECT_EQ(encoded.find_first_of(" /?=&:"), std::string::npos);
  EXPECT_EQ(FormEncode("Az09-._~"), "Az09-._~");
  EXPECT_EQ(FormDecode(encoded), text);
}

}  // namespace
}  // namespace egovbox::integrations
