/* Share cards inside the chat app (nutag/wechat/share.py).
 * Include after the platform's JS-SDK, only in the chat app:
 *   <script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js" defer></script>
 *   <script src="{% static 'wechat/share.js' %}" data-unit="{{ unit.code }}" defer></script>
 * Does nothing elsewhere, or when the unit has no official account (404). */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !/MicroMessenger/i.test(navigator.userAgent)) return;
  var code = me.getAttribute("data-unit");
  function start() {
    if (!window.wx || !code || !window.fetch) return;
    var page = location.href.split("#")[0];
    fetch("/wechat/" + encodeURIComponent(code) + "/share/?url=" + encodeURIComponent(page), {
      credentials: "same-origin"
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) return;
        window.wx.config({
          debug: false, appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr,
          signature: c.signature,
          jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
        });
        window.wx.ready(function () {
          var card = { title: document.title || c.title, desc: c.desc, link: c.link, imgUrl: c.imgUrl };
          window.wx.updateAppMessageShareData(card);
          window.wx.updateTimelineShareData(card);
        });
      })
      .catch(function () {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
