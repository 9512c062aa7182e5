/* Share cards inside the chat app (nutag/wechat/share.py). Loaded by the sites' page-script
 * slot (nutag/sites/extensions.py) on the public pages of units whose official account can
 * sign the JS-SDK configuration:
 *   <script src="/static/wechat/share.js" data-unit="<unit code>" defer></script>
 * Elsewhere than the chat app it does nothing (no SDK downloaded). Inside it, it loads the
 * platform's JS-SDK (https://res.wx.qq.com, allowed by the page's script-src), asks
 * /wechat/<code>/share/ for the signature, and sets the card from the page's own share
 * <meta> tags (og:title, og:description, og:image), the unit's defaults otherwise. */
(function () {
  "use strict";
  var SDK = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";
  var me = document.currentScript;
  if (!me || !/MicroMessenger/i.test(navigator.userAgent) || !window.fetch) return;
  var code = me.getAttribute("data-unit");
  if (!code) return;

  function meta(name) {
    var m = document.querySelector('meta[property="og:' + name + '"]');
    return m ? m.getAttribute("content") : "";
  }

  function configure(c) {
    var wx = window.wx;
    if (!wx || !c) return;
    wx.config({
      debug: false, appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr,
      signature: c.signature,
      jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
    });
    wx.ready(function () {
      var card = {
        title: meta("title") || c.title || document.title,
        desc: meta("description") || c.desc,
        link: c.link,
        imgUrl: meta("image") || c.imgUrl
      };
      wx.updateAppMessageShareData(card);
      wx.updateTimelineShareData(card);
    });
  }

  function start() {
    var page = location.href.split("#")[0];
    var asked = fetch("/wechat/" + encodeURIComponent(code) + "/share/?url=" + encodeURIComponent(page), {
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : null; });
    var sdk = document.createElement("script");
    sdk.src = SDK;
    sdk.async = true;
    sdk.addEventListener("load", function () { asked.then(configure).catch(function () {}); });
    document.head.appendChild(sdk);
    asked.catch(function () {});
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
