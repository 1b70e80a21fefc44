#include "integrations/web_origin.h"

#include <gtest/gtest.h>

namespace egovbox::integrations {
namespace {

TEST(WebOriginTest, AcceptsHttpsUrlsWithPathQueryAndFragment) {
  EXPECT_TRUE(IsHttpsUrl("https://portal.sofia.bg"));
  EXPECT_TRUE(IsHttpsUrl("https://portal.sofia.bg/"));
  EXPECT_TRUE(IsHttpsUrl("https://gis.example.org:8443/map?layer=roads&z=12#centre"));
  EXPECT_TRUE(IsHttpsUrl("https://127.0.0.1:9000/x"));
  EXPECT_TRUE(IsHttpsUrl("https://[::1]:8443/callback"));
  EXPECT_TRUE(IsHttpsUrl("https://e-uslugi.example.org/%D0%B0"));
}

TEST(WebOriginTest, RefusesOtherSchemesUserInfoUpperCaseHostsAndBadCharacters) {
  EXPECT_FALSE(IsHttpsUrl("http://portal.sofia.bg"));
  EXPECT_FALSE(IsHttpsUrl("HTTPS://portal.sofia.bg"));
  EXPECT_FALSE(IsHttpsUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsHttpsUrl("https://"));
  EXPECT_FALSE(IsHttpsUrl("https:///path"));
  EXPECT_FALSE(IsHttpsUrl("https://user:pass@portal.sofia.bg/"));
  EXPECT_FALSE(IsHttpsUrl("https://Portal.Sofia.bg/"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.sofia.bg/a b"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.sofia.bg/\"onload"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.sofia.bg/%zz"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.sofia.bg/%4"));
  EXPECT_FALSE(IsHttpsUrl("https://portal..bg/"));
  EXPECT_FALSE(IsHttpsUrl("https://-portal.bg/"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.bg:0/"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.bg:65536/"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.bg:08443/"));
  EXPECT_FALSE(IsHttpsUrl("https://*.portal.bg/"));
  EXPECT_FALSE(IsHttpsUrl("https://portal.bg/\xd0\xb0"));  // raw UTF-8 must be percent-encoded
}

TEST(WebOriginTest, RedirectUrisHaveNoFragment) {
  EXPECT_TRUE(IsRedirectUri("https://rp.example.org/callback?x=1"));
  EXPECT_FALSE(IsRedirectUri("https://rp.example.org/callback#x"));
  EXPECT_FALSE(IsRedirectUri("http://rp.example.org/callback"));
}

TEST(WebOriginTest, ExactOriginsAreAsBrowsersSerialiseThem) {
  EXPECT_TRUE(IsExactOrigin("https://portal.sofia.bg"));
  EXPECT_TRUE(IsExactOrigin("https://portal.sofia.bg:8443"));
  EXPECT_TRUE(IsExactOrigin("https://[::1]:8443"));
  EXPECT_FALSE(IsExactOrigin("https://portal.sofia.bg/"));
  EXPECT_FALSE(IsExactOrigin("https://portal.sofia.bg/path"));
  EXPECT_FALSE(IsExactOrigin("https://portal.sofia.bg:443"));  // the default port is not written
  EXPECT_FALSE(IsExactOrigin("http://portal.sofia.bg"));
  EXPECT_FALSE(IsExactOrigin("https://*.sofia.bg"));
  EXPECT_FALSE(IsExactOrigin("https://portal.sofia.bg; script-src *"));
  EXPECT_FALSE(IsExactOrigin("https://portal.sofia.bg?x"));
  EXPECT_FALSE(IsExactOrigin("https://a@portal.sofia.bg"));
  EXPECT_FALSE(IsExactOrigin("'self'"));
  EXPECT_FALSE(IsExactOrigin(""));
}

TEST(WebOriginTest, OriginOfAUrlDropsPathAndDefaultPort) {
  EXPECT_EQ(OriginOf("https://gis.example.org:8443/map?z=1#c"), "https://gis.example.org:8443");
  EXPECT_EQ(OriginOf("https://gis.example.org:443/map"), "https://gis.example.org");
  EXPECT_EQ(OriginOf("https://gis.example.org"), "https://gis.example.org");
  EXPECT_EQ(OriginOf("http://gis.example.org/"), std::nullopt);
}

}  // namespace
}  // namespace egovbox::integrations
