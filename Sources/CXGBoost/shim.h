#ifndef BOTIFY_CXGBOOST_SHIM_H
#define BOTIFY_CXGBOOST_SHIM_H
// XGBoost's C API (Debian's libxgboost-dev, pkg-config name "xgboost"). Only the Ranking
// module imports it; Sources/Ranking/XGBoost.swift wraps the handles and error codes.
#include <stdint.h>
#include <stddef.h>
#include <xgboost/c_api.h>

// The option mask of XGBoosterPredict is a set of plain ints in the header's comment, not
// constants; naming them here keeps magic numbers out of the Swift side.
static const int botify_xgb_predict_normal = 0;
static const int botify_xgb_predict_contributions = 4;
#endif
